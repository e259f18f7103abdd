/**
 * Browser globals under local names: the minifier renames locals to one letter
 * but must keep `document.`, `Math.` etc. spelled out at every use.
 */
export const doc = document;
export const win = window;
export const perf = performance;
export const { min, max, round } = Math;
/** Milliseconds since the time origin (performance.now()). */
export const now = (): number => perf.now();
/** `v` cut to `n` characters if it is a string, else undefined. */
export const cut = (v: unknown, n: number): string | undefined =>
  typeof v == 'string' ? v.slice(0, n) : undefined;
