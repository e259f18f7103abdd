import { cut, doc, win } from './globals';
import { CAPTURES, type Config } from './config';
import type { Ctx, EventType, Nav, PayloadOf } from './context';
import { captureClicks } from './capture/clicks';
import { captureErrors } from './capture/errors';
import { capturePageViews } from './capture/page-views';
import { captureScroll } from './capture/scroll';
import { captureVitals } from './vitals/capture-vitals';
import { watchNavigation } from './navigation';
import { on, safe, setDebug } from './safe';
import { createIds } from './session';
import { createStore } from './storage';
import { createTransport } from './transport';
import { cleanUrl } from './url';
import { uuid } from './uuid';

/** Property values `track` accepts (others are left out). */
export type PropValue = string | number | boolean | null;

/** The public API, also the `gosight` global: `gosight.track(…)` or `gosight('track', …)`. */
export interface Api {
  (method: keyof Api, ...args: unknown[]): void;
  /** Sends a custom event. */
  track(name: string, props?: Record<string, unknown>): void;
  /**
   * Attaches a user id to this and later events (persisted); a falsy id clears it.
   * `traits` (a flat object, bounded like track's props) are sent once, as a custom
   * event named `$identify`; the server keeps the latest per user.
   */
  identify(userId?: string | null, traits?: Record<string, unknown>): void;
  /** Stops all capture and forgets undelivered events; persisted. */
  optOut(): void;
  /** Undoes optOut. */
  optIn(): void;
}

/** Keeps at most 50 properties whose values the wire accepts, cut to the wire's lengths. */
const clean = (props: Record<string, unknown>) => {
  const out: Record<string, PropValue> = {};
  Object.entries(props)
    .slice(0, 50)
    .forEach(([k, v]) => {
      if (k && (v === null || /^(num|boo|str)/.test(typeof v)))
        out[k.slice(0, 128)] = cut(v, 1024) ?? (v as PropValue);
    });
  return out;
};

/**
 * Starts capturing as configured and returns the API; every entry point is
 * fault-guarded. `queued` calls (the snippet's) are replayed in order, and the
 * landing page view is emitted just before the first replayed `track` (or after
 * them all): it carries a queued identify, and a session starts with its page view.
 */
export const createTracker = (cfg: Config, queued: unknown[][] = []): Api => {
  setDebug(cfg._debug);
  const ps = createStore(false);
  const st = createStore(cfg._cookieless);
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const dnt = cfg._dnt && (nav.doNotTrack == '1' || !!nav.globalPrivacyControl);
  let off = dnt || !!ps._get('gs_off');
  let user = st._get<string>('gs_u') || undefined;
  const ids = createIds(st);
  const tr = createTransport(cfg, st);
  const mask = cfg._mask;

  const c: Ctx = {
    _emit<T extends EventType>(type: T, payload: PayloadOf<T>, ts?: number) {
      if (off) return;
      tr._add({
        id: uuid(),
        type,
        ts: ts || Date.now(),
        session_id: ids._session(),
        anon_id: ids._anon,
        user_id: user,
        url: cleanUrl(c._href, mask),
        referrer: cleanUrl(c._ref, mask),
        title: doc.title.slice(0, 512),
        viewport: { w: innerWidth, h: innerHeight },
        screen: { w: screen.width, h: screen.height },
        lang: nav.language.slice(0, 35),
        payload,
      } as Parameters<typeof tr._add>[0]);
    },
    _href: location.href,
    _ref: doc.referrer,
    _batchUrl: cfg._batchUrl,
    _mask: mask,
    _leave: [],
    _hide: [],
    _view: [],
  };
  const run = <A>(hooks: ((a: A) => void)[], arg?: A) => hooks.forEach((f) => safe(f)(arg!));
  // in the order of CAPTURES
  [capturePageViews, captureClicks, captureScroll, captureErrors, captureVitals].forEach(
    (start, i) => cfg._auto.includes(CAPTURES[i]!) && safe(start)(c),
  );

  watchNavigation(c, (n: Nav) => {
    run(c._leave);
    c._ref = c._href;
    c._href = location.href;
    run(c._view, n);
  });
  const hide = () => {
    run(c._leave);
    run(c._hide);
    tr._flush();
  };
  on(doc, 'visibilitychange', () => doc.hidden && hide());
  on(win, 'pagehide', hide);

  // the landing page view comes before the first replayed track or identify event (or after all replayed calls)
  let viewed = 0;
  const view = () => viewed++ || run(c._view, 'load');
  const api: Api = Object.assign(
    (m: keyof Api, ...a: unknown[]) => (api[m] as ((...x: unknown[]) => void) | undefined)?.(...a),
    {
      track: safe((name: string, props?: Record<string, unknown>) => {
        name = String(name).slice(0, 128);
        if (name) c._emit('custom', { name, props: props ? clean(props) : undefined });
      }),
      identify: safe((id?: string | null, traits?: Record<string, unknown>) => {
        user = id ? String(id).slice(0, 256) : undefined;
        st._set('gs_u', user || 0);
        // a queued identify with traits: its event comes after the landing page view, which carries the id
        if (user && traits) {
          view();
          c._emit('custom', { name: '$identify', props: clean(traits) });
        }
      }),
      optOut: safe(() => {
        off = true;
        ps._set('gs_off', 1);
        tr._clear();
      }),
      optIn: safe(() => {
        ps._set('gs_off', 0);
        off = dnt;
      }),
    },
  );
  queued.forEach(([m, ...a]) => {
    if (m == 'track') view();
    api(m as keyof Api, ...a);
  });
  view();
  return api;
};
