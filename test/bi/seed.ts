/**
 * Known data for the dashboard tests: five sessions of one project over two
 * hours, written into a fresh gosight database as the processor would write
 * them (events, session rows with an older version of one, quarantined
 * inputs), plus one redelivered copy of an event. The tests compute what each
 * chart must show from these rows with plain TypeScript.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';

/** A row of gosight.events, as far as the dashboards read it. */
export interface SeedEvent {
  event_id: string;
  type: 'page_view' | 'click' | 'js_error' | 'web_vitals';
  ts: number;
  received_at: number;
  inserted_at: number;
  session_id: string;
  anon_id: string;
  path: string;
  name: string;
  value: number | null;
  is_rage_click: boolean;
  is_dead_click: boolean;
  error_type: string;
  error_message: string;
}

/** A row of gosight.sessions. */
export interface SeedSession {
  session_id: string;
  anon_id: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  page_count: number;
  max_scroll_depth: number;
  is_bounce: boolean;
  country: string;
  device_type: string;
  browser: string;
  referrer: string;
  utm_source: string;
  version: number;
}

/** A row of gosight.events_quarantine. */
export interface SeedQuarantine {
  received_at: number;
  step: string;
  reason: string;
}

/** Everything written, the newest version of each session first in `sessions`. */
export interface Seed {
  projectId: string;
  /** the start of the first hour of data (UTC, whole hour) */
  t0: number;
  events: SeedEvent[];
  /** every row written (with the redelivered copy) */
  eventRows: SeedEvent[];
  sessions: SeedSession[];
  sessionRows: SeedSession[];
  quarantine: SeedQuarantine[];
}

const MIN = 60_000;

/** The seed for project `projectId`, two hours before the current hour. */
export function buildSeed(projectId: string, now = Date.now()): Seed {
  const t0 = Math.floor(now / 3_600_000) * 3_600_000 - 2 * 3_600_000;
  const events: SeedEvent[] = [];
  const at = (minute: number, second = 10): number => t0 + minute * MIN + second * 1000;
  const add = (
    session: string,
    anon: string,
    type: SeedEvent['type'],
    minute: number,
    path: string,
    extra: Partial<SeedEvent> = {},
  ): void => {
    const ts = extra.ts ?? at(minute, 10 + (events.length % 30));
    const received = extra.received_at ?? ts + 1000;
    events.push({
      event_id: randomUUID(),
      type,
      ts,
      received_at: received,
      // The first minute's events share one lag, so whether ClickHouse has merged the
      // redelivered copy away yet cannot move that minute's freshness quantiles.
      inserted_at: received + (minute === 0 ? 400 : 400 + (events.length % 5) * 100),
      session_id: session,
      anon_id: anon,
      path,
      name: '',
      value: null,
      is_rage_click: false,
      is_dead_click: false,
      error_type: '',
      error_message: '',
      ...extra,
    });
  };
  const vital = (
    s: string,
    a: string,
    minute: number,
    path: string,
    lcp: number,
    inp: number,
    cls: number,
  ): void => {
    add(s, a, 'web_vitals', minute, path, { name: 'LCP', value: lcp });
    add(s, a, 'web_vitals', minute, path, { name: 'INP', value: inp });
    add(s, a, 'web_vitals', minute, path, { name: 'CLS', value: cls });
  };
  const wrapError = "Cannot read properties of undefined (reading 'wrap')";

  // S1: a visitor from a newsletter, three pages, a dead and a rage click, an error.
  add('s1', 'a1', 'page_view', 0, '/');
  add('s1', 'a1', 'click', 0, '/', { is_dead_click: true });
  add('s1', 'a1', 'page_view', 1, '/products.html');
  add('s1', 'a1', 'click', 1, '/products.html');
  add('s1', 'a1', 'click', 1, '/products.html');
  vital('s1', 'a1', 1, '/products.html', 3200, 350, 0.18);
  add('s1', 'a1', 'page_view', 2, '/product.html');
  add('s1', 'a1', 'click', 2, '/product.html', { is_rage_click: true });
  add('s1', 'a1', 'js_error', 2, '/product.html', {
    error_type: 'TypeError',
    error_message: wrapError,
  });
  // S2: one page, then gone (a bounce).
  add('s2', 'a2', 'page_view', 3, '/');
  vital('s2', 'a2', 3, '/', 1800, 120, 0.05);
  // S3: from a search engine, an ad campaign; a slow cart page.
  add('s3', 'a3', 'page_view', 60, '/');
  add('s3', 'a3', 'page_view', 61, '/cart.html');
  add('s3', 'a3', 'click', 61, '/cart.html', { is_dead_click: true });
  add('s3', 'a3', 'js_error', 61, '/cart.html', {
    error_type: 'TypeError',
    error_message: wrapError,
  });
  vital('s3', 'a3', 61, '/cart.html', 5200, 650, 0.4);
  // S4: the first visitor again, a new session, one page (a bounce).
  add('s4', 'a1', 'page_view', 62, '/story.html');
  // S5: newsletter again; its error reached the ingestor 8 minutes late.
  add('s5', 'a4', 'page_view', 62, '/');
  add('s5', 'a4', 'js_error', 62, '/', {
    error_type: 'ReferenceError',
    error_message: 'foo is not defined',
    ts: at(62, 40),
    received_at: at(70, 40),
  });
  add('s5', 'a4', 'page_view', 63, '/products.html');

  // The processor wrote the first page view twice (a redelivery): the same row again.
  const first = events[0];
  if (first === undefined) throw new Error('seed: no events');
  const eventRows = [...events, { ...first }];

  const session = (
    id: string,
    anon: string,
    start: number,
    durationMs: number,
    pages: number,
    scroll: number,
    where: Pick<SeedSession, 'country' | 'device_type' | 'browser' | 'referrer' | 'utm_source'>,
  ): SeedSession => ({
    session_id: id,
    anon_id: anon,
    started_at: start,
    ended_at: start + durationMs,
    duration_ms: durationMs,
    page_count: pages,
    max_scroll_depth: scroll,
    is_bounce: pages === 1,
    version: 2,
    ...where,
  });
  const newsletter = { referrer: 'https://news.example.org/issue-12', utm_source: 'newsletter' };
  const direct = { referrer: '', utm_source: '' };
  const sessions = [
    session('s1', 'a1', at(0), 150_000, 3, 80, {
      country: 'DE',
      device_type: 'desktop',
      browser: 'Chrome',
      ...newsletter,
    }),
    session('s2', 'a2', at(3), 20_000, 1, 30, {
      country: 'FR',
      device_type: 'mobile',
      browser: 'Safari',
      ...direct,
    }),
    session('s3', 'a3', at(60), 100_000, 2, 100, {
      country: 'US',
      device_type: 'desktop',
      browser: 'Firefox',
      referrer: 'https://www.search.example/?q=shop',
      utm_source: 'ads',
    }),
    session('s4', 'a1', at(62), 10_000, 1, 50, {
      country: 'DE',
      device_type: 'desktop',
      browser: 'Chrome',
      ...direct,
    }),
    session('s5', 'a4', at(62), 90_000, 2, 60, {
      country: 'US',
      device_type: 'mobile',
      browser: 'Chrome',
      ...newsletter,
    }),
  ];
  const s1 = sessions[0];
  if (s1 === undefined) throw new Error('seed: no sessions');
  // An older version of S1's row (after its first page): FINAL must hide it.
  const sessionRows = [
    ...sessions,
    { ...s1, page_count: 1, is_bounce: true, duration_ms: 0, version: 1 },
  ];

  const quarantine: SeedQuarantine[] = [
    {
      received_at: at(1, 20),
      step: 'validate-event',
      reason: 'payload.value: Expected number, received string (invalid_type)',
    },
    {
      received_at: at(1, 50),
      step: 'validate-event',
      reason: 'payload.value: Expected number, received string (invalid_type)',
    },
    { received_at: at(62, 5), step: 'decode', reason: 'not JSON: Unexpected token } in JSON' },
  ];
  return { projectId, t0, events, eventRows, sessions, sessionRows, quarantine };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Writes the seed into `database` (already migrated) with a client that may insert. */
export async function writeSeed(
  client: ClickHouseClient,
  database: string,
  seed: Seed,
): Promise<void> {
  await client.insert({
    table: `${database}.events`,
    format: 'JSONEachRow',
    values: seed.eventRows.map((e) => ({
      event_id: e.event_id,
      project_id: seed.projectId,
      type: e.type,
      ts: iso(e.ts),
      client_ts: iso(e.ts),
      sent_at: iso(e.ts),
      received_at: iso(e.received_at),
      inserted_at: iso(e.inserted_at),
      session_id: e.session_id,
      anon_id: e.anon_id,
      url: `http://127.0.0.1:8080${e.path}`,
      path: e.path,
      name: e.name,
      value: e.value,
      is_rage_click: e.is_rage_click,
      is_dead_click: e.is_dead_click,
      error_type: e.error_type,
      error_message: e.error_message,
      payload: '{}',
    })),
  });
  await client.insert({
    table: `${database}.sessions`,
    format: 'JSONEachRow',
    values: seed.sessionRows.map((s) => ({
      project_id: seed.projectId,
      session_id: s.session_id,
      anon_id: s.anon_id,
      started_at: iso(s.started_at),
      ended_at: iso(s.ended_at),
      duration_ms: s.duration_ms,
      entry_path: '/',
      exit_path: '/',
      page_count: s.page_count,
      event_count: 1,
      click_count: 0,
      error_count: 0,
      max_scroll_depth: s.max_scroll_depth,
      is_bounce: s.is_bounce,
      country: s.country,
      device_type: s.device_type,
      browser: s.browser,
      referrer: s.referrer,
      utm_source: s.utm_source,
      is_live: false,
      version: s.version,
    })),
  });
  await client.insert({
    table: `${database}.events_quarantine`,
    format: 'JSONEachRow',
    values: seed.quarantine.map((q) => ({
      received_at: iso(q.received_at),
      project_id: seed.projectId,
      source: 'processor',
      step: q.step,
      reason: q.reason,
      raw: '{}',
    })),
  });
}
