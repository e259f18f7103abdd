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
  // following a link to #x fires popstate too (before hashchange): a change of the
  // fragment alone is a hash navigation, whether by link or by back/forward
  on(win, 'popstate', () =>
    check(location.href.split('#')[0] == c._href.split('#')[0] ? 'hash' : 'pop'),
  );
  on(win, 'hashchange', () => check('hash'));
  on(win, 'pageshow', (e: PageTransitionEvent) => e.persisted && check('bfcache'));
};
