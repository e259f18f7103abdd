/**
 * A scripted session of known events, delivered out of order and with
 * replayed copies, must give exact rows in `events` and exact values in its
 * `sessions` row — live first, then finalised once idle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '@gosight/schema';
import type { Processor } from './processor';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from './testing/harness';
import { enrichedEvent, newSession } from './testing/enriched-builder';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const HOME = 'https://shop.example.com/?utm_source=newsletter';
const PRODUCTS = 'https://shop.example.com/products/42';

let env: TestEnv;
let processor: Processor;
let running: RunningProcessor;
const a = newSession('pk_scripted', { userId: null, browser: 'Firefox', country: 'DE' });
const b = newSession('pk_scripted');

const script: EnrichedEvent[] = [
  enrichedEvent(
    a,
    'page_view',
    { nav: 'load', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring' },
    { ts: T0, url: HOME, referrer: 'https://www.google.com/' },
  ),
  enrichedEvent(
    a,
    'click',
    { x: 1, y: 2, vx: 1, vy: 2, selector: 'button#buy', tag: 'button', text: 'Buy', rage: true },
    { ts: T0 + 1000, url: HOME },
  ),
  enrichedEvent(a, 'scroll', { depth: 60 }, { ts: T0 + 2000, url: HOME }),
  enrichedEvent(a, 'page_view', { nav: 'push' }, { ts: T0 + 3000, url: PRODUCTS }),
  enrichedEvent(
    a,
    'js_error',
    { message: 'TypeError: x is undefined', error_type: 'TypeError', stack: 'at buy' },
    { ts: T0 + 4000, url: PRODUCTS },
  ),
  enrichedEvent(
    a,
    'click',
    { x: 5, y: 6, vx: 5, vy: 6, selector: 'a.more', tag: 'a', href: '/more', dead: true },
    { ts: T0 + 5000, url: PRODUCTS },
  ),
  enrichedEvent(
    a,
    'web_vitals',
    { name: 'LCP', value: 1234.5, rating: 'good' },
    { ts: T0 + 5500, url: PRODUCTS },
  ),
  enrichedEvent(
    a,
    'page_leave',
    { time_on_page_ms: 3000, max_scroll: 80 },
    { ts: T0 + 6000, url: PRODUCTS },
  ),
];
const bounce = enrichedEvent(
  b,
  'page_view',
  {},
  { ts: T0, url: PRODUCTS, referrer: 'https://news.example/' },
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (i: number) => script[i] as EnrichedEvent;

interface SessionRow {
  session_id: string;
  started_at: string;
  ended_at: string;
  duration_ms: string | number;
  entry_url: string;
  entry_path: string;
  exit_url: string;
  exit_path: string;
  page_count: number;
  event_count: number;
  click_count: number;
  error_count: number;
  max_scroll_depth: number;
  has_error: boolean;
  has_rage_click: boolean;
  has_dead_click: boolean;
  is_bounce: boolean;
  browser: string;
  country: string;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  is_live: boolean;
}

// 64-bit integers come back quoted from ClickHouse, unquoted from some endpoints: compare numbers.
const sessionRow = async (id: string) => {
  const rows = await env.query<SessionRow>(
    `SELECT * FROM {db}.sessions FINAL WHERE session_id = '${id}'`,
  );
  return rows[0] && { ...rows[0], duration_ms: Number(rows[0].duration_ms) };
};
/** One series of the processor's /metrics, e.g. `rows_inserted_total{table="events"}`. */
const metric = async (series: string) => {
  const text = await (await fetch(`http://127.0.0.1:${processor.metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`gosight_processor_${series} `));
  return Number(line?.split(' ')[1]);
};
/** Event rows inserted so far, copies included. */
const rowsInserted = () => metric('rows_inserted_total{table="events"}');
const eventCount = async () =>
  Number((await env.query<{ n: string }>('SELECT count() AS n FROM {db}.events FINAL'))[0]?.n);

beforeAll(async () => {
  env = await createTestEnv('scripted');
  running = await startProcessor(env, { settings: { sessionIdleMs: 1500, metricsPort: 0 } });
  processor = running.processor;
});

afterAll(async () => {
  await running?.close();
  await env?.cleanup();
});

describe('a scripted session', () => {
  it('stores exact events and session values whatever the arrival order', async () => {
    // Out of order, with a replayed copy of the first click in the same run.
    await env.produce([at(3), at(7), at(1), at(5), at(0), at(1), at(4), at(6), at(2), bounce]);
    expect(
      await waitUntil(async () => (await sessionRow(a.sessionId))?.event_count === 8, 60_000),
    ).toBe(true);
    // A later replay of two events (e.g. a redelivered batch) changes nothing.
    await env.produce([at(2), at(5)]);
    // processed (not a fixed sleep: a late one would also move the sessions' idle clock)
    expect(await waitUntil(async () => (await rowsInserted()) === 12, 30_000)).toBe(true);

    expect(await eventCount()).toBe(9);
    const rows = await env.query<{
      event_id: string;
      type: string;
      is_rage_click: boolean;
      is_dead_click: boolean;
      selector: string;
      href: string;
      scroll_depth: number;
      error_message: string;
      error_type: string;
      name: string;
      value: number | null;
      utm_source: string;
      utm_campaign: string;
      ts: string;
      client_ts: string;
      payload: string;
    }>(`SELECT * FROM {db}.events FINAL WHERE session_id = '${a.sessionId}' ORDER BY ts`);
    expect(rows.map((r) => r.event_id)).toEqual(script.map((e) => e.event_id));
    expect(rows.map((r) => r.type)).toEqual([
      'page_view',
      'click',
      'scroll',
      'page_view',
      'js_error',
      'click',
      'web_vitals',
      'page_leave',
    ]);
    expect(rows[0]).toMatchObject({
      utm_source: 'newsletter',
      utm_campaign: 'spring',
      ts: '2026-11-22 12:00:00.000',
      client_ts: '2026-11-22 11:59:59.993',
    });
    expect(rows[1]).toMatchObject({
      selector: 'button#buy',
      is_rage_click: true,
      is_dead_click: false,
    });
    expect(rows[2]).toMatchObject({ scroll_depth: 60 });
    expect(rows[4]).toMatchObject({
      error_message: 'TypeError: x is undefined',
      error_type: 'TypeError',
    });
    expect(rows[5]).toMatchObject({ href: '/more', is_dead_click: true });
    expect(rows[6]).toMatchObject({ name: 'LCP', value: 1234.5 });
    expect(rows[7]).toMatchObject({ scroll_depth: 80 });
    expect(JSON.parse(rows[7]?.payload ?? '')).toEqual({ time_on_page_ms: 3000, max_scroll: 80 });

    expect(await sessionRow(a.sessionId)).toMatchObject({
      started_at: '2026-11-22 12:00:00.000',
      ended_at: '2026-11-22 12:00:06.000',
      duration_ms: 6000,
      entry_url: HOME,
      entry_path: '/',
      exit_url: PRODUCTS,
      exit_path: '/products/42',
      page_count: 2,
      event_count: 8,
      click_count: 2,
      error_count: 1,
      max_scroll_depth: 80,
      has_error: true,
      has_rage_click: true,
      has_dead_click: true,
      is_bounce: false,
      browser: 'Firefox',
      country: 'DE',
      referrer: 'https://www.google.com/',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      is_live: true,
    });
    expect(await sessionRow(b.sessionId)).toMatchObject({
      event_count: 1,
      page_count: 1,
      is_bounce: true,
      referrer: 'https://news.example/',
      is_live: true,
    });
  });

  it('finalises idle sessions once, removes their Redis state, and ignores later copies', async () => {
    await sleep(2000); // past sessionIdleMs (1.5 s) since the last event arrived
    expect(await processor.sweepNow()).toBe(2);
    expect(await processor.sweepNow()).toBe(0);
    const final = await sessionRow(a.sessionId);
    expect(final).toMatchObject({ is_live: false, event_count: 8, click_count: 2, page_count: 2 });
    const keys = await env.redis.keys(`${env.settings.redisPrefix}{*}s:*`);
    expect(keys).toEqual([]);
    const finals = await env.query<{ n: string }>(
      `SELECT count() AS n FROM {db}.sessions WHERE NOT is_live AND session_id = '${a.sessionId}'`,
    );
    expect(Number(finals[0]?.n)).toBe(1);

    await env.produce([at(0), at(6)]);
    const processed = async () =>
      (await rowsInserted()) === 14 && (await metric('session_late_events_total')) === 2;
    expect(await waitUntil(processed, 30_000)).toBe(true);
    expect(await sessionRow(a.sessionId)).toMatchObject({ is_live: false, event_count: 8 });
    expect(await eventCount()).toBe(9);
  });

  it('reports rows, latency, batch size, lag and live sessions on /metrics, and health on /healthz', async () => {
    const base = `http://127.0.0.1:${processor.metricsPort}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const text = await (await fetch(`${base}/metrics`)).text();
    // 10 + 2 + 2 produced: copies are inserted too (events FINAL hides them).
    expect(text).toMatch(/^gosight_processor_rows_inserted_total\{table="events"\} 14$/m);
    expect(text).toMatch(/^gosight_processor_insert_seconds_count\{table="events"\} [1-9]/m);
    expect(text).toMatch(/^gosight_processor_batch_messages_count\{consumer="events"\} [1-9]/m);
    expect(text).toMatch(
      new RegExp(`^gosight_processor_consumer_lag\\{group="${env.settings.group}",.*\\} 0$`, 'm'),
    );
    expect(text).toMatch(/^gosight_processor_sessions_finalised_total 2$/m);
    expect(text).toMatch(/^gosight_processor_sessions_live 0$/m);
    expect(text).toMatch(/^gosight_processor_session_late_events_total 2$/m);
  });
});
