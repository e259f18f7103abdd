import { expect, test, type Page } from '@playwright/test';
import { leave, ready, until, useSiteAndCollector } from './harness';

const ctx = useSiteAndCollector();
const { errors } = ctx;

const open = async (page: Page, attrs: Record<string, string> = {}, name = 'page') => {
  await page.goto(ctx.site.page(name, { endpoint: ctx.col.url, ...attrs }));
  await ready(page);
};

test('page_view on load with URL, title, UTM; snippet calls queued before load are replayed', async ({
  page,
}) => {
  await open(page, { utm_source: 'news', utm_campaign: 'spring', token: 'abc' });
  await leave(page);
  await until(() => ctx.col.ofType('page_view').length >= 1);
  const view = ctx.col.ofType('page_view')[0]!;
  expect(view.url).toBe(
    ctx.site.page('page', { endpoint: ctx.col.url, utm_source: 'news', utm_campaign: 'spring' }),
  );
  expect(view.title).toBe('Test page');
  expect(view.payload).toEqual({ nav: 'load', utm_source: 'news', utm_campaign: 'spring' });
  expect(view.viewport).toEqual({ w: 1280, h: 720 });
  expect(ctx.col.ofType('custom').map((e) => e.payload)).toContainEqual({
    name: 'early',
    props: { queued: true },
  });
  expect(ctx.col.received[0]!.batch.project).toBe('proj_e2e');
  expect(errors).toEqual([]);
});

test('clicks: selector, text, href; rage and dead flags; ignored subtree; masked input', async ({
  page,
}) => {
  await open(page);
  await page.click('#buy');
  await page.click('#broken');
  await page.waitForTimeout(1200);
  // three plain clicks on the spot: page.click's actionability checks can take hundreds of ms
  // each on a loaded machine, and a rage click needs three within RAGE_MS (1 s)
  const box = (await page.locator('#broken').boundingBox())!;
  for (let i = 0; i < 3; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.click('#private');
  await page.click('#pw');
  await page.click('.deep');
  await page.waitForTimeout(1200);
  await leave(page);
  await until(() => ctx.col.ofType('click').length >= 7);
  const clicks = ctx.col.ofType('click').map((e) => e.payload);
  expect(clicks).toHaveLength(7);
  const [buy, broken, r1, r2, r3, pw, deep] = clicks;
  expect(buy).toMatchObject({ selector: '#buy', tag: 'button', text: 'Buy now' });
  expect(buy!.dead).toBeUndefined();
  expect(broken).toMatchObject({ selector: '#broken', text: 'Broken button', dead: true });
  expect(broken!.rage).toBeUndefined();
  expect([r1!.rage, r2!.rage, r3!.rage]).toEqual([undefined, undefined, true]);
  expect(pw).toMatchObject({ selector: '#pw', tag: 'input' });
  expect(pw!.text).toBeUndefined();
  expect(deep!.selector).toBe('body>ul>li:nth-of-type(3)>span');
  for (const c of clicks)
    for (const k of ['x', 'y', 'vx', 'vy'] as const) expect(Number.isInteger(c[k])).toBe(true);
  expect(errors).toEqual([]);
});

test('SPA navigation: page_leave, then page_view with masked URL; back is a pop', async ({
  page,
}) => {
  await open(page);
  await page.click('#spa');
  await page.goBack();
  await leave(page);
  await until(() => ctx.col.ofType('page_view').length >= 3);
  const views = ctx.col.ofType('page_view');
  expect(views.map((v) => v.payload?.nav)).toEqual(['load', 'push', 'pop']);
  expect(views[1]!.url).toBe(`${ctx.site.origin}/cart?step=1`);
  expect(views[1]!.title).toBe('Cart');
  expect(views[1]!.referrer).toBe(ctx.site.page('page', { endpoint: ctx.col.url }));
  const leaves = ctx.col.ofType('page_leave');
  expect(leaves[0]!.url).toBe(ctx.site.page('page', { endpoint: ctx.col.url }));
  expect(leaves[0]!.payload.time_on_page_ms).toBeGreaterThan(0);
  const spaClick = ctx.col.ofType('click')[0]!;
  expect(spaClick.payload).toMatchObject({
    selector: '#spa',
    href: `${ctx.site.origin}/page.html?to=cart`,
  });
  expect(spaClick.payload.dead).toBeUndefined();
});

test('js errors and unhandled rejections, identical errors once per page view', async ({
  page,
}) => {
  await open(page);
  await page.click('#boom');
  await page.click('#boom');
  await page.click('#reject');
  await page.waitForTimeout(300);
  await leave(page);
  await until(() => ctx.col.ofType('js_error').length >= 2);
  const errs = ctx.col.ofType('js_error').map((e) => e.payload);
  expect(errs).toHaveLength(2);
  expect(errs[0]).toMatchObject({
    kind: 'error',
    message: 'Uncaught TypeError: kaboom',
    error_type: 'TypeError',
    source: `${ctx.site.origin}/app.js`,
  });
  expect(errs[0]!.stack).toContain('app.js');
  expect(errs[0]!.line).toBeGreaterThan(0);
  expect(errs[1]).toMatchObject({
    kind: 'unhandledrejection',
    message: 'nope',
    error_type: 'RangeError',
  });
});

test('scroll depth is reported with page_leave', async ({ page }) => {
  await open(page);
  await page.mouse.wheel(0, 2000);
  await page.waitForFunction(() => scrollY >= 2000); // the wheel scrolls asynchronously
  await page.waitForTimeout(400);
  await leave(page);
  await until(() => ctx.col.ofType('page_leave').length >= 1);
  const depth = ctx.col.ofType('scroll')[0]!.payload.depth;
  expect(depth).toBeGreaterThan(50);
  expect(depth).toBeLessThan(100);
  expect(ctx.col.ofType('page_leave')[0]!.payload.max_scroll).toBe(depth);
});

test('web vitals: LCP, FCP, TTFB, CLS and INP reported when the page is hidden', async ({
  page,
}) => {
  await open(page, { shift: '1' });
  // the shift is painted before the click: a shift within 500 ms after input does not count
  await page.waitForSelector('.pushed[data-shown]', { state: 'attached' });
  await page.click('#slow');
  await page.waitForTimeout(300);
  await leave(page);
  await until(() => ctx.col.ofType('web_vitals').length >= 5);
  const v = Object.fromEntries(
    ctx.col.ofType('web_vitals').map((e) => [e.payload.name, e.payload.value]),
  );
  expect(Object.keys(v).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
  expect(v.TTFB).toBeGreaterThanOrEqual(0);
  expect(v.FCP).toBeGreaterThan(0);
  expect(v.LCP).toBeGreaterThanOrEqual(v.FCP!);
  expect(v.CLS).toBeGreaterThan(0);
  expect(v.INP).toBeGreaterThanOrEqual(300);
});

test('the queue survives a reload while the collector is down and is delivered when it returns', async ({
  page,
}) => {
  await open(page);
  await ctx.col.down();
  await page.evaluate(() =>
    (window as unknown as { gosight: { track(n: string): void } }).gosight.track('while-down'),
  );
  await page.reload();
  await page.waitForFunction(() => localStorage.getItem('gs_q')?.includes('while-down'));
  await ctx.col.up();
  await page.reload();
  await until(() => ctx.col.ofType('custom').some((e) => e.payload.name == 'while-down'), 15_000);
  const first = ctx.col.ofType('custom').find((e) => e.payload.name == 'while-down')!;
  await page.waitForFunction(() => !localStorage.getItem('gs_q')?.includes('while-down'));
  // At least once: a page that unloads before its request is answered leaves the event
  // stored for the next load (transport.ts), so one copy more is allowed, not a stream.
  expect(ctx.col.delivered().filter((e) => e.id == first.id).length).toBeLessThanOrEqual(2);
});

test('503 with Retry-After: 2 is respected before the retry', async ({ page }) => {
  ctx.col.answers.push({ status: 503, retryAfter: '2' });
  await open(page);
  await page.evaluate(() =>
    (window as unknown as { gosight: { track(n: string): void } }).gosight.track('retry-me'),
  );
  await until(() => ctx.col.received.length >= 2, 15_000);
  const [failed, retried] = ctx.col.received;
  expect(failed!.status).toBe(503);
  expect(retried!.at - failed!.at).toBeGreaterThanOrEqual(1900);
  expect(retried!.batch.events.map((e) => e.id)).toEqual(
    expect.arrayContaining(failed!.batch.events.map((e) => e.id)),
  );
});

test('forced internal faults never reach the page as errors', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new Error('quota');
    };
    window.fetch = () => {
      throw new Error('fetch broken');
    };
    navigator.sendBeacon = () => {
      throw new Error('beacon broken');
    };
    window.PerformanceObserver = function () {
      throw new Error('po broken');
    } as unknown as typeof PerformanceObserver;
    CSS.escape = () => {
      throw new Error('escape broken');
    };
  });
  await open(page);
  await page.click('#buy');
  await page.click('#spa');
  await page.mouse.wheel(0, 500);
  await page.evaluate(() =>
    (window as unknown as { gosight: { track(n: string, p: unknown): void } }).gosight.track('x', {
      y: 1,
    }),
  );
  await page.waitForTimeout(1200);
  await leave(page);
  expect(errors).toEqual([]);
});

test('works on a strict-CSP page (no eval, no inline script or style)', async ({ page }) => {
  const violations: string[] = [];
  page.on(
    'console',
    (m) => m.text().includes('Content Security Policy') && violations.push(m.text()),
  );
  await open(page, {}, 'csp');
  await page.click('#buy');
  await leave(page);
  await until(() => ctx.col.ofType('click').length >= 1);
  expect(ctx.col.ofType('page_view')).toHaveLength(1);
  expect(ctx.col.ofType('custom').map((e) => e.payload.name)).toEqual(['early']);
  expect(violations).toEqual([]);
});

test('malformed data attributes disable the SDK with one console warning', async ({ page }) => {
  await page.goto(ctx.site.page('page', { endpoint: ctx.col.url, auto: 'clicks,teleport' }));
  await page.click('#buy');
  await leave(page);
  expect(errors).toEqual(['warning: gosight: disabled, data-auto']);
  expect(ctx.col.received).toHaveLength(0);
});
