import { max, min, perf } from '../globals';
/** An event-timing entry (PerformanceEventTiming, with interactionId). */
export interface EventTiming {
  entryType: string;
  duration: number;
  interactionId?: number;
}

/** web-vitals' defaults: interactions faster than 40 ms are not candidates; keep the 10 slowest. */
export const INP_MIN_DURATION = 40;
const KEEP = 10;

/**
 * INP as web-vitals defines it: event entries grouped by interactionId (an
 * interaction's latency is its longest entry); the 10 slowest are kept and INP is
 * the one at index min(9, floor(interactions / 50)) — the p98 rule. The number of
 * interactions is performance.interactionCount or, where missing, estimated from
 * the spread of interactionIds (Chrome steps them by 7), as web-vitals' polyfill does.
 * `count0` is the count at a bfcache restore. Returns `add(entries) → INP or undefined`.
 */
export const createInp = (count0 = 0): ((entries: EventTiming[]) => number | undefined) => {
  let list: [id: number, latency: number][] = [];
  let lo = Infinity;
  let hi = 0;
  return (entries) => {
    entries.forEach((e) => {
      const id = e.interactionId;
      if (!id) return;
      lo = min(lo, id);
      hi = max(hi, id);
      if (e.duration < INP_MIN_DURATION && e.entryType != 'first-input') return;
      const known = list.find((x) => x[0] == id);
      if (known) known[1] = max(known[1], e.duration);
      else list.push([id, e.duration]);
      list = list.sort((a, b) => b[1] - a[1]).slice(0, KEEP);
    });
    const count =
      ((perf as Performance & { interactionCount?: number }).interactionCount ??
        (hi ? (hi - lo) / 7 + 1 : 0)) - count0;
    return list[min(list.length - 1, Math.floor(count / 50))]?.[1];
  };
};
