import { win } from './globals';
import type { Ctx, Nav } from './context';
import { on, safe } from './safe';

/**
 * Watches SPA navigation (pushState, replaceState, popstate, hashchange) and
 * back/forward-cache restores; calls `go(nav)` when the URL really changed
 * (or on a restore, which starts a new view of the same URL).
 */
export const watchNavigation = (c: Ctx, go: (nav: Nav) => void): void => {
  const check = (nav: Nav) => {
    if (location.href != c._href || nav == 'bfcache') go(nav);
  };
  (['push', 'replace'] as const).forEach((nav) => {
    const m = `${nav}State` as const;
    // called with the host's own `this` below, so binding is not needed
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const orig = history[m];
    history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = orig.apply(this, args);
      safe(check)(nav);
      return r;
    };
  });
  on(win, 'popstate', () => check('pop'));
  on(win, 'hashchange', () => check('hash'));
  on(win, 'pageshow', (e: PageTransitionEvent) => e.persisted && check('bfcache'));
};
