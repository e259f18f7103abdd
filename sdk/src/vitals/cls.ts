import { max } from '../globals';
/** A layout-shift entry (not yet in TypeScript's DOM lib). */
export interface LayoutShift {
  startTime: number;
  value: number;
  hadRecentInput: boolean;
}

/**
 * CLS as web-vitals defines it: shifts without recent input are grouped into
 * session windows (next shift < 1 s after the previous, window < 5 s long); CLS
 * is the largest window's sum. Returns `add(entries) → current CLS`.
 */
export const createCls = (): ((entries: LayoutShift[]) => number) => {
  let cls = 0;
  let sum = 0;
  let first = 0;
  let last = 0;
  return (entries) => {
    entries.forEach((e) => {
      if (e.hadRecentInput) return;
      if (sum && e.startTime - last < 1000 && e.startTime - first < 5000) sum += e.value;
      else {
        sum = e.value;
        first = e.startTime;
      }
      last = e.startTime;
      cls = max(cls, sum);
    });
    return cls;
  };
};
