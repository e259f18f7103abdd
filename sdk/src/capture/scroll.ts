import { doc, max, min, now, round, win } from '../globals';
import type { Ctx } from '../context';
import { on } from '../safe';

/** Scroll measurements are taken at most this often. */
export const SCROLL_THROTTLE_MS = 200;

/** How far down the page the bottom of the viewport is, in whole percent (100 when it all fits). */
const depth = () =>
  min(100, round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100));

/**
 * Tracks the maximum scroll depth of each page view (throttled) and, when the
 * view ends or the page is hidden, emits `scroll` (if deeper than last reported)
 * and `page_leave` with the visible time since the view started or the page was
 * shown again, so summing page_leave times of one view is exact.
 */
export const captureScroll = (c: Ctx): void => {
  let deep = 0;
  let sent = 0;
  let last = 0;
  let start = 0;
  const measure = () => (deep = max(deep, depth()));
  // capture phase (on's default); scroll events cannot be cancelled, so `passive` changes nothing
  on(win, 'scroll', () => {
    const t = now();
    if (t - last > SCROLL_THROTTLE_MS) {
      last = t;
      measure();
    }
  });
  on(doc, 'visibilitychange', () => {
    if (!doc.hidden) start ||= now();
  });
  // No measurement when a view starts: an async script can run before the body
  // is parsed (or an SPA before it renders the new route), when the page still
  // fits the viewport and would count as 100 % read. The first scroll or the
  // leave measures it, and depth only ever grows from the top of the page.
  c._view.push(() => {
    deep = sent = 0;
    start = now();
  });
  c._leave.push(() => {
    if (!start) return;
    measure();
    if (deep > sent) c._emit('scroll', { depth: (sent = deep) });
    c._emit('page_leave', {
      time_on_page_ms: min(864e5, round(now() - start)),
      max_scroll: deep,
    });
    start = 0;
  });
};
