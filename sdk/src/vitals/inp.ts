import { max, min, perf } from '../globals';
/** An event-timing entry (PerformanceEventTiming, with interactionId). */
export interface EventTiming {
  entryType: string;
  duration: number;
  interactionId?: number;
}

/** web-vitals' default: interactions faster than 40 ms are not candidates. */
export const INP_MIN_DURATION = 40;

/**
 * INP as web-vitals defines it: event entries grouped by interactionId (an
 * interaction's latency is its longest entry); INP is the latency at index
 * min(9, floor(interactions / 50)) of the slowest first — the p98 rule over
 * web-vitals' list of the 10 slowest (one number per interaction is kept here, so
 * that list is simply the head of the sorted latencies). The number of
 * interactions is performance.interactionCount or, where missing, estimated from
 * the spread of interactionIds (Chrome steps them by 7), as web-vitals' polyfill does.
 * `count0` is the count at a bfcache restore. Returns `add(entries) → INP or undefined`.
 */
export const createInp = (count0 = 0): ((entries: EventTiming[]) => number | undefined) => {
  const latency: Record<number, number> = {};
  let lo = Infinity;
  let hi = 0;
  return (entries) => {
    entries.forEach((e) => {
      const id = e.interactionId;
      if (!id) return;
      lo = min(lo, id);
      hi = max(hi, id);
      if (e.duration >= INP_MIN_DURATION || e.entryType == 'first-input')
        latency[id] = max(latency[id] || 0, e.duration);
    });
    const count =
      ((perf as Performance & { interactionCount?: number }).interactionCount ??
        (hi ? (hi - lo) / 7 + 1 : 0)) - count0;
    const slowest = Object.values(latency).sort((a, b) => b - a);
    return slowest[min(9, slowest.length - 1, (count / 50) | 0)];
  };
};
