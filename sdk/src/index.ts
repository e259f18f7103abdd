import { doc, win } from './globals';
/**
 * Script-tag entry (dist/gosight.js). Reads the tag's data-* attributes, starts the
 * tracker, replays calls queued by the snippet
 *   window.gosight = window.gosight || function () { (gosight.q = gosight.q || []).push(arguments) }
 * before the landing page view, and replaces the stub with `gosight(method, ...args)`,
 * which also carries the methods (`gosight.track(...)`). Any fault at start disables
 * the SDK with one warning. A second copy of the script (two tags, or a tag manager
 * adding one) attaches to the first tracker: it starts nothing and sends nothing.
 */
import { readConfig } from './config';
import { createTracker, type Api } from './tracker';

type Global = Partial<Api> & { q?: unknown[][] };

const w = win as Window & { gosight?: Global };
try {
  // a module script (<script type="module">) has no currentScript: take the tag with data-project
  const s = (doc.currentScript || doc.querySelector('script[data-project]')) as HTMLScriptElement;
  const cfg = readConfig(s.dataset, new URL(s.src).origin);
  const g = w.gosight;
  if (g?.track) {
    if (cfg._debug) console.warn('gosight: loaded twice');
  } else {
    // the snippet queues `arguments` objects, which destructure like arrays
    w.gosight = createTracker(cfg, g?.q);
  }
} catch (e) {
  console.warn('gosight: disabled,', (e as Error).message);
}
