/** Runs every HTML, JavaScript and CSP example of sdk/README.md as a site owner would paste it. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { leave, ready, until, useSiteAndCollector } from './harness';

const README = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'),
  'utf8',
);
const COLLECTOR = 'https://collector.example.com';

/** The code of the README blocks marked `<!-- example: name -->`. */
const examples = (name: string): string[] =>
  [...README.matchAll(/<!-- example: ([\w-]+) -->\n```\w+\n([\s\S]*?)\n```/g)]
    .filter((m) => m[1] == name)
    .map((m) => m[2]!);
const example = (name: string): string => {
  const [code] = examples(name);
  if (!code) throw new Error(`no example ${name} in sdk/README.md`);
  return code;
};

const t = useSiteAndCollector();
/** An example with the collector's address made this test's collector. */
const here = (code: string) => code.split(COLLECTOR).join(t.col.url);

/** Opens a page of the site's origin with `head` in its <head> (and optional response headers). */
const openPage = async (
  page: Page,
  head: string,
  opts: { body?: string; headers?: Record<string, string>; query?: string } = {},
) => {
  t.site.serve(
    '/readme-example.html',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head>
      <body><button id="buy">Buy</button>${opts.body ?? ''}</body></html>`,
    opts.headers,
  );
  await page.goto(`${t.site.origin}/readme-example.html${opts.query ?? ''}`);
};

const track = (page: Page, name: string) =>
  page.evaluate(
    (n) => (window as unknown as { gosight: { track(n: string): void } }).gosight.track(n),
    name,
  );

test('the script tag: events reach the collector the script came from', async ({ page }) => {
  await openPage(page, here(example('tag')));
  await ready(page);
  await leave(page);
  await until(() => t.col.ofType('page_view').length >= 1);
  expect(t.col.received[0]!.batch.project).toBe('pk_live_shop');
  expect(t.errors).toEqual([]);
});

test('the tag with every attribute does what the table says', async ({ page }) => {
  await openPage(page, here(example('tag-all')), { query: '?session=s3&ref_code=r1&keep=1' });
  await ready(page);
  await page.click('#buy');
  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(1100);
  const stored = await page.evaluate(() => Object.keys(localStorage));
  await leave(page);
  await until(() => t.col.ofType('click').length >= 1);
  const [view] = t.col.ofType('page_view');
  expect(view!.url).toBe(`${t.site.origin}/readme-example.html?keep=1`);
  // data-auto="pageviews,clicks,errors": no scroll, page_leave or web_vitals
  expect(new Set(t.col.delivered().map((e) => e.type))).toEqual(new Set(['page_view', 'click']));
  expect(t.col.received[0]!.batch.meta).toMatchObject({ cookieless: true });
  expect(stored).toEqual([]);
});

test('the snippet queues identify and track before the script loads', async ({ page }) => {
  await openPage(page, here(example('snippet')));
  await ready(page);
  await leave(page);
  await until(() => t.col.ofType('custom').length >= 1);
  const [view] = t.col.ofType('page_view');
  expect(view!.user_id).toBe('customer-1234');
  expect(t.col.ofType('custom').map((e) => e.payload)).toEqual([
    { name: 'landing', props: { campaign: 'spring' } },
  ]);
});

test('track, identify, optOut and optIn behave as their examples say', async ({ page }) => {
  await openPage(page, here(example('tag')));
  await ready(page);
  await page.evaluate(example('track'));
  // each line of identify and opt-out, followed by a probe event
  const lines = async (name: string) => {
    for (const [i, line] of example(name).split('\n').entries()) {
      await page.evaluate(line);
      await track(page, `${name}-${i}`);
    }
  };
  await lines('identify');
  // deliver them now: optOut forgets what is not delivered yet
  await page.evaluate(() => dispatchEvent(new Event('pagehide')));
  await until(() => t.col.ofType('custom').length >= 3);
  await lines('opt-out');
  await leave(page);
  await until(() => t.col.ofType('custom').length >= 4);
  const custom = t.col.ofType('custom');
  expect(custom[0]!.payload).toEqual({
    name: 'checkout',
    props: { step: 2, coupon: true, total: 49.9, note: null },
  });
  const probes = Object.fromEntries(
    custom.slice(1).map((e) => [e.payload.name, e.user_id ?? null]),
  );
  expect(probes).toEqual({ 'identify-0': 'customer-1234', 'identify-1': null, 'opt-out-1': null });
});

test('the ESM build: init() from a module', async ({ page }) => {
  const code = here(example('esm')).replace("'@gosight/sdk'", `'${t.col.url}/sdk/gosight.esm.js'`);
  await openPage(page, `<script type="module">${code}</script>`, { query: '?session=s3' });
  await page.waitForLoadState('load');
  await page.waitForTimeout(300); // the module has run
  await leave(page);
  await until(() => t.col.ofType('custom').length >= 1);
  expect(t.col.ofType('page_view')[0]!.url).toBe(`${t.site.origin}/readme-example.html`);
  expect(t.col.ofType('custom')[0]!.payload).toEqual({ name: 'signup', props: { plan: 'pro' } });
  expect(t.errors).toEqual([]);
});

test('data-gosight-mask keeps the click without its text; data-gosight-ignore drops it', async ({
  page,
}) => {
  await openPage(page, here(example('tag')), { body: example('privacy-attributes') });
  await ready(page);
  await page.click('#account-name');
  await page.click('#delete-account');
  await page.waitForTimeout(1100);
  await leave(page);
  await until(() => t.col.ofType('click').length >= 1);
  expect(t.col.ofType('click').map((e) => [e.payload.selector, e.payload.text])).toEqual([
    ['#account-name', '*'],
  ]);
});

test('the CSP example lets the SDK load and deliver, with no violation', async ({ page }) => {
  const [header, value] = here(example('csp')).split(/:\s(.*)/s);
  const violations: string[] = [];
  page.on(
    'console',
    (m) => m.text().includes('Content Security Policy') && violations.push(m.text()),
  );
  await openPage(page, here(example('tag')), { headers: { [header!]: value! } });
  await ready(page);
  await leave(page);
  await until(() => t.col.ofType('page_view').length >= 1);
  expect(violations).toEqual([]);
});

test('data-respect-dnt also honours Global Privacy Control: nothing is sent', async ({ page }) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );
  const tag = here(example('tag')).replace('data-project=', 'data-respect-dnt data-project=');
  await openPage(page, tag);
  await ready(page);
  await track(page, 'with-gpc');
  await page.click('#buy');
  await leave(page);
  await page.waitForTimeout(500);
  expect(t.col.received).toEqual([]);
});
