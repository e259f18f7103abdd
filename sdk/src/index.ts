import { doc, win } from './globals';
/**
 * Script-tag entry (dist/gosight.js). Reads the tag's data-* attributes, starts the
 * tracker, replays calls queued by the snippet
 *   window.gosight = window.gosight || function () { (gosight.q = gosight.q || []).push(arguments) }
 * and replaces the stub with `gosight(method, ...args)`, which also carries the
 * methods (`gosight.track(...)`). Any fault at start disables the SDK with one warning.
 */
import { readConfig } from './config';
import { createTracker, type Api } from './tracker';

type Global = ((method: keyof Api, ...args: unknown[]) => void) &
  Partial<Api> & { q?: Iterable<unknown>[] };

const w = win as Window & { gosight?: Global };
try {
  const s = doc.currentScript as HTMLScriptElement;
  const api = createTracker(readConfig(s.dataset, new URL(s.src).origin));
  const queued = w.gosight?.q || [];
  const g: Global = (m, ...a) => (api[m] as (...x: unknown[]) => void | undefined)?.(...a);
  w.gosight = Object.assign(g, api);
  // the snippet queues `arguments` objects, which spread like arrays
  for (const a of queued) g(...(a as [keyof Api]));
} catch (e) {
  console.warn('gosight: disabled,', (e as Error).message);
}
