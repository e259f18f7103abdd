import type { Ctx } from '../context';
import { utm } from '../url';

/** Emits `page_view` on load and at the start of every later view (SPA navigation, bfcache restore). */
export const capturePageViews = (c: Ctx): void => {
  c._view.push((nav) => c._emit('page_view', { nav, ...utm(c._href) }));
};
