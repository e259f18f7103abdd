import { doc, max, min, now, perf } from '../globals';
import type { VitalName } from '@gosight/schema/types';
import type { Ctx } from '../context';
import { observe, safe } from '../safe';
import { createCls, type LayoutShift } from './cls';
import { createInp } from './inp';

type Values = Partial<Record<VitalName, number | undefined>>;

/**
 * Measures LCP, FCP, TTFB, CLS and INP with PerformanceObserver, following
 * web-vitals: paint entries count only while the page has not yet been hidden;
 * times are relative to activationStart (prerender); CLS is reported only once FCP
 * happened; on a bfcache restore everything restarts (TTFB 0, FCP and LCP = time
 * to the second frame after the restore). Each metric is emitted as `web_vitals`
 * when the page is hidden, and again on a later hide only if its value changed.
 * LCP needs no input listener: Chrome stops issuing LCP entries after input.
 * The rating (good / needs improvement / poor) is left to the pipeline: it follows
 * from name and value, and the thresholds cost bytes here.
 */
export const captureVitals = (c: Ctx): void => {
  let v: Values = {};
  let sent: Values = {};
  let hiddenAt = doc.hidden ? 0 : Infinity;
  let cls = createCls();
  let inp = createInp();
  const takes: ((() => void) | undefined)[] = [];
  const navEntry = perf.getEntriesByType('navigation')[0] as
    (PerformanceNavigationTiming & { activationStart?: number }) | undefined;
  const act = navEntry?.activationStart || 0;
  const since = (t: number) => max(t - act, 0);

  // an unsupported entry type leaves its metric unreported
  const watch = (type: string, cb: (list: PerformanceEntry[]) => void, opts?: object) =>
    takes.push(observe(type, cb, opts));
  const paint = (name: VitalName) => (list: PerformanceEntry[]) =>
    list.forEach((e) => {
      if (e.startTime < hiddenAt && (name == 'LCP' || e.name == 'first-contentful-paint'))
        v[name] = since(e.startTime);
    });

  const ttfb = navEntry?.responseStart || 0;
  if (ttfb > 0 && ttfb < now()) v.TTFB = since(ttfb);
  watch('paint', paint('FCP'));
  watch('largest-contentful-paint', paint('LCP'));
  // CLS and INP take entries as they come and are read when the page is hidden
  watch('layout-shift', (l) => cls(l as unknown as LayoutShift[]));
  watch('event', (l) => inp(l), { durationThreshold: 0 });
  watch('first-input', (l) => inp(l));

  // a bfcache restore (the tracker's pageshow listener): restart. First of the view
  // hooks, so now() is within a fraction of a millisecond of the pageshow event's
  // timeStamp, from which web-vitals measures (the listener costs bytes)
  c._view.unshift((nav) => {
    if (nav != 'bfcache') return;
    const t = now();
    v = { TTFB: 0 };
    sent = {};
    hiddenAt = Infinity;
    cls = createCls();
    inp = createInp((perf as Performance & { interactionCount?: number }).interactionCount);
    requestAnimationFrame(() => requestAnimationFrame(safe(() => (v.FCP = v.LCP = now() - t))));
  });

  c._hide.push(() => {
    takes.forEach((f) => f?.());
    hiddenAt = min(hiddenAt, now());
    // INP is undefined until there is an interaction; CLS counts once FCP happened
    v.INP = inp([]);
    if (v.FCP != null) v.CLS = cls([]);
    (Object.entries(v) as [VitalName, number | undefined][]).forEach(([name, value]) => {
      if (value == null || value === sent[name]) return;
      sent[name] = value;
      c._emit('web_vitals', { name, value });
    });
  });
};
