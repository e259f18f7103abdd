/**
 * From click to ClickHouse row: a visitor walks the demo shop in Chromium
 * (pages, SPA views and back, a dead click, the throwing button, a rage
 * click, a long scroll, then leaves), and ClickHouse holds exactly the events
 * the browser sent and got 202 for, the session row and page_stats_1m rows.
 * Runs once per topology (playwright.config.ts projects).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { expect, test, type Page, type Request } from '@playwright/test';
import {
  freePort,
  spawnStandalone,
  waitForBanner,
  type StandaloneChild,
} from '../../../standalone/src/testing/spawn-standalone';

interface SentEvent {
  id: string;
  type: string;
  session_id: string;
}

let server: StandaloneChild | undefined;
let clickhouse: ClickHouseClient | undefined;
let database = 'gosight';
let siteUrl = '';
let dataDir = '';

test.beforeAll(async ({ browserName: _ }, testInfo) => {
  const topology = (testInfo.project.metadata as { topology: string }).topology;
  const port = await freePort();
  siteUrl = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'gosight-e2e-'));
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const env: Record<string, string> = {
    PORT: String(port),
    GOSIGHT_DATA_DIR: dataDir,
    GOSIGHT_PROJECTS: JSON.stringify([{ key: 'pk_demo', origins: [siteUrl] }]),
  };
  let clickhouseUrl: string;
  // The embedded endpoint's password-less default user may read, which is all this test does there.
  let clickhouseAuth = { username: 'default', password: '' };
  if (topology === 'kafka-redis') {
    // The test run's real Kafka, Redis and ClickHouse; this run's own topic, groups, keys and database.
    database = `gosight_e2e_${suffix}`;
    clickhouseUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
    clickhouseAuth = {
      username: process.env.CLICKHOUSE_USER ?? 'default',
      password: process.env.CLICKHOUSE_PASSWORD ?? '',
    };
    Object.assign(env, {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CLICKHOUSE_URL: clickhouseUrl,
      CLICKHOUSE_USER: process.env.CLICKHOUSE_USER ?? 'default',
      CLICKHOUSE_PASSWORD: process.env.CLICKHOUSE_PASSWORD ?? '',
      CLICKHOUSE_DATABASE: database,
      GOSIGHT_TOPIC_RAW: `e2e.raw.${suffix}`,
      GOSIGHT_TOPIC_DLQ: `e2e.dlq.${suffix}`,
      GOSIGHT_CONSUMER_GROUP: `e2e-${suffix}`,
      GOSIGHT_REDIS_PREFIX: `e2e:${suffix}:`,
    });
  } else {
    // The single-machine defaults: in-process bus, memory store, embedded ClickHouse (own port).
    const chPort = await freePort();
    env.GOSIGHT_CLICKHOUSE_PORT = String(chPort);
    clickhouseUrl = `http://127.0.0.1:${chPort}`;
  }
  server = spawnStandalone(env);
  await waitForBanner(server);
  clickhouse = createClient({ url: clickhouseUrl, ...clickhouseAuth });
});

test.afterAll(async () => {
  await server?.stop('SIGTERM');
  if (database !== 'gosight') {
    await clickhouse?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  }
  await clickhouse?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await (clickhouse as ClickHouseClient).query({
    query: query.replaceAll('{db}', database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return result.json<T>();
}

/** Polls `read` until `done` holds or 30 s pass; returns the last value. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    value = await read();
  }
  return value;
}

const sdkReady = (page: Page) =>
  page.waitForFunction(
    () => typeof (globalThis as { gosight?: { track?: unknown } }).gosight?.track == 'function',
  );

test('a visit to the shop lands in ClickHouse: events, session, page stats', async ({ page }) => {
  // Every event the browser sent, by id (a retried copy has the same id). The
  // final beacon's answer is not observable from the page, so the sent set is
  // the reference: any event lost between the beacon and ClickHouse fails the test.
  const sent = new Map<string, SentEvent>();
  page.context().on('request', (request: Request) => {
    if (!request.url().endsWith('/v1/batch') || request.method() !== 'POST') return;
    const body = request.postData();
    if (!body) return;
    const batch = JSON.parse(body) as { events: SentEvent[] };
    for (const e of batch.events) sent.set(e.id, e);
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(`${siteUrl}/`);
  await sdkReady(page);
  await page.click('#newsletter'); // no handler: a dead click after 1 s
  await page.waitForTimeout(1300);
  await page.click('#shop-now');
  await page.waitForURL('**/products.html');
  await page.locator('#product-list a').first().click();
  await page.waitForURL('**/product.html?id=*');
  await sdkReady(page);
  await page.click('#gift-wrap'); // throws a TypeError
  const swatch = await page.locator('#product-swatch').boundingBox();
  const x = (swatch?.x ?? 100) + 10;
  const y = (swatch?.y ?? 100) + 10;
  for (let i = 0; i < 4; i++) await page.mouse.click(x, y); // rage
  await page.click('#add-to-cart');
  await page.goto(`${siteUrl}/cart.html`);
  await sdkReady(page);
  await page.click('#to-checkout'); // SPA view via pushState
  await page.waitForURL('**/cart.html?view=checkout');
  await page.click('#back-to-cart'); // history.back(): popstate
  await page.waitForURL('**/cart.html');
  await page.goto(`${siteUrl}/story.html`);
  await sdkReady(page);
  for (let i = 0; i < 30; i++) {
    await page.mouse.wheel(0, 800);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500);
  await page.goto('about:blank'); // hidden + pagehide: the SDK flushes
  await page.waitForTimeout(1000);

  expect(pageErrors.some((m) => m.includes('giftWrap') || m.includes('undefined'))).toBe(true);
  const sessions = new Set([...sent.values()].map((e) => e.session_id));
  expect(sessions.size).toBe(1);
  const sessionId = [...sessions][0] as string;
  const seen: Record<string, number> = {};
  for (const e of sent.values()) seen[e.type] = (seen[e.type] ?? 0) + 1;
  // Exact for what the script does: 7 views (home, products, product, cart, checkout
  // view, back to cart, story), a leave for each, 11 clicks (newsletter, shop now,
  // product, gift wrap, 4 rage, add to cart, to checkout, back), 1 error.
  const fixed = { page_view: 7, page_leave: 7, click: 11, js_error: 1 };

  const readByType = async () => {
    const found = await rows<{ type: string; n: string; ids: string }>(
      'SELECT type, count() AS n, uniqExact(event_id) AS ids FROM {db}.events FINAL WHERE session_id = {s:String} GROUP BY type',
      { s: sessionId },
    );
    return Object.fromEntries(found.map((r) => [r.type, { n: Number(r.n), ids: Number(r.ids) }]));
  };
  const byType = await eventually(
    readByType,
    (found) =>
      Object.entries(fixed).every(([type, n]) => found[type]?.n === n) &&
      Object.entries(seen).every(([type, n]) => (found[type]?.n ?? 0) >= n),
  );
  for (const [type, n] of Object.entries(fixed)) expect(byType[type], type).toEqual({ n, ids: n });
  // Scroll and Web Vitals depend on timing: every one the page was seen sending is there, once.
  for (const [type, n] of Object.entries(seen)) {
    expect(byType[type]?.n, type).toBeGreaterThanOrEqual(n);
    expect(byType[type]?.ids, type).toBe(byType[type]?.n);
  }
  const stored = new Set(
    (
      await rows<{ id: string }>(
        'SELECT toString(event_id) AS id FROM {db}.events FINAL WHERE session_id = {s:String}',
        { s: sessionId },
      )
    ).map((r) => r.id),
  );
  expect([...sent.keys()].filter((id) => !stored.has(id))).toEqual([]);
  const total = Object.values(byType).reduce((sum, t) => sum + t.n, 0);

  // The session row (upserted as it was touched).
  interface SessionRow {
    entry_path: string;
    exit_path: string;
    page_count: number;
    click_count: number;
    event_count: number;
    has_error: boolean;
    has_rage_click: boolean;
    has_dead_click: boolean;
    max_scroll_depth: number;
  }
  const readSession = async () =>
    (
      await rows<SessionRow>(
        `SELECT entry_path, exit_path, page_count, click_count, event_count, has_error,
                has_rage_click, has_dead_click, max_scroll_depth
         FROM {db}.sessions FINAL WHERE session_id = {s:String}`,
        { s: sessionId },
      )
    )[0];
  const session = await eventually(readSession, (s) => s?.event_count === total);
  expect(session).toEqual({
    entry_path: '/',
    exit_path: '/story.html',
    page_count: fixed.page_view,
    click_count: fixed.click,
    event_count: total,
    has_error: true,
    has_rage_click: true,
    has_dead_click: true,
    max_scroll_depth: expect.any(Number) as unknown as number,
  });
  expect(session?.max_scroll_depth).toBeGreaterThanOrEqual(90);

  // page_stats_1m: the views per path add up to the page views sent.
  const viewsByPath = await rows<{ path: string; views: string }>(
    `SELECT path, uniqExactMerge(page_views) AS views FROM {db}.page_stats_1m
     WHERE project_id = 'pk_demo' GROUP BY path ORDER BY path`,
  );
  const paths = Object.fromEntries(viewsByPath.map((r) => [r.path, Number(r.views)]));
  expect(Object.values(paths).reduce((a, b) => a + b, 0)).toBe(fixed.page_view);
  for (const path of ['/', '/products.html', '/product.html', '/cart.html', '/story.html']) {
    expect(paths[path], path).toBeGreaterThanOrEqual(1);
  }
});

test('every page of the shop has a favicon and loads without a 404 or a console error', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  for (const path of ['/', '/products.html', '/product.html?id=1', '/cart.html', '/story.html']) {
    await page.goto(`${siteUrl}${path}`);
    await sdkReady(page);
    // headless Chromium does not fetch icons itself: ask for the one the page names
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const answer = await page.request.get(new URL(icon ?? '/favicon.ico', page.url()).href);
    expect(answer.status(), `${path}: ${icon}`).toBe(200);
    expect(answer.headers()['content-type']).toBe('image/svg+xml');
  }
  expect(problems).toEqual([]);
});
