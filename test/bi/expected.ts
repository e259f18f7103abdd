/**
 * What each chart must show for the seed, computed from the seed's rows with
 * plain TypeScript (no SQL): counts of distinct event ids and sessions, the
 * latest version of each session, ClickHouse's quantileExact rule
 * (the element at floor(level × n) of the sorted values).
 */
import type { Seed, SeedEvent } from './seed';

/** A chart's rows: dimension and metric values by column label. */
export type ExpectedRow = Record<string, string | number | null>;

const MIN = 60_000;
const HOUR = 3_600_000;
const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

const distinct = <T>(items: T[], key: (item: T) => string): number => new Set(items.map(key)).size;
const ids = (events: SeedEvent[], where: (e: SeedEvent) => boolean): number =>
  distinct(events.filter(where), (e) => e.event_id);

/** ClickHouse's quantileExact(level). */
export function quantileExact(values: number[], level: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.floor(level * sorted.length));
  const v = sorted[i];
  if (v === undefined) throw new Error('quantileExact of nothing');
  return v;
}

/** p75 of one Web Vital among `events`, or null without values. All seed groups hold one value. */
function p75(events: SeedEvent[], name: string): number | null {
  const values = events
    .filter((e) => e.type === 'web_vitals' && e.name === name)
    .map((e) => e.value ?? 0);
  if (values.length > 1)
    throw new Error('the seed keeps one value of a vital per group (t-digest is approximate)');
  return values[0] ?? null;
}

const domain = (referrer: string): string =>
  referrer === '' ? '(direct)' : new URL(referrer).hostname;
const orNone = (v: string, none: string): string => (v === '' ? none : v);

/** Expected rows per chart key of deploy/local/src/bi/bundle-dashboards.ts. */
export function expectedRows(seed: Seed): Record<string, ExpectedRow[]> {
  const ev = seed.events;
  const sessions = seed.sessions;
  const byMinute = groupBy(ev, (e) => String(floorTo(e.ts, MIN)));
  const byPath = groupBy(ev, (e) => e.path);
  const count = (key: (s: (typeof sessions)[number]) => string, label: string): ExpectedRow[] =>
    [...groupBy(sessions, key)].map(([k, s]) => ({ [label]: k, sessions: s.length }));

  const durations = sessions.map((s) => s.duration_ms);
  const receivedRows = groupBy(seed.eventRows, (e) => String(floorTo(e.received_at, MIN)));
  const clicks = ev.filter((e) => e.type === 'click' && (e.is_rage_click || e.is_dead_click));
  const errors = ev.filter((e) => e.type === 'js_error');
  const reasonLabel = (step: string, reason: string): string =>
    `quarantined: ${step} / ${(reason.split(': ')[0] ?? '').slice(0, 48)}`;

  const overTime = (name: string, metric: string): ExpectedRow[] =>
    [...byMinute].map(([m, e]) => ({ minute: Number(m), [metric]: p75(e, name) }));

  return {
    traffic_page_views_per_minute: [...byMinute].map(([m, e]) => ({
      minute: Number(m),
      page_views: ids(e, (x) => x.type === 'page_view'),
      sessions: distinct(e, (x) => x.session_id),
    })),
    traffic_visitors_per_hour: [...groupBy(ev, (e) => String(floorTo(e.ts, HOUR)))].map(
      ([h, e]) => ({
        ts: Number(h),
        visitors: distinct(e, (x) => x.anon_id),
        page_views: ids(e, (x) => x.type === 'page_view'),
      }),
    ),
    traffic_top_pages: [...byPath].map(([path, e]) => ({
      path,
      page_views: ids(e, (x) => x.type === 'page_view'),
      sessions: distinct(e, (x) => x.session_id),
      clicks: ids(e, (x) => x.type === 'click'),
    })),
    traffic_referrers: count((s) => domain(s.referrer), 'referrer_domain'),
    traffic_utm_sources: count((s) => orNone(s.utm_source, '(none)'), 'utm_source_label'),
    traffic_countries: count((s) => orNone(s.country, '(unknown)'), 'country_label'),
    traffic_devices_browsers: [...groupBy(sessions, (s) => `${s.device_type}|${s.browser}`)].map(
      ([k, s]) => ({
        device_label: k.split('|')[0] ?? '',
        browser_label: k.split('|')[1] ?? '',
        sessions: s.length,
      }),
    ),
    engagement_sessions_per_hour: [
      ...groupBy(sessions, (s) => String(floorTo(s.started_at, HOUR))),
    ].map(([h, s]) => ({ started_at: Number(h), sessions: s.length })),
    engagement_bounce_rate: [
      { bounce_rate: sessions.filter((s) => s.is_bounce).length / sessions.length },
    ],
    engagement_median_duration: [{ median_duration_s: quantileExact(durations, 0.5) / 1000 }],
    engagement_pages_per_session: [
      { pages_per_session: sessions.reduce((a, s) => a + s.page_count, 0) / sessions.length },
    ],
    engagement_scroll_depth: [
      { avg_scroll_depth: sessions.reduce((a, s) => a + s.max_scroll_depth, 0) / sessions.length },
    ],
    engagement_rage_dead_clicks: [...groupBy(clicks, (e) => e.path)].map(([path, e]) => ({
      path,
      rage_clicks: ids(e, (x) => x.is_rage_click),
      dead_clicks: ids(e, (x) => x.is_dead_click),
    })),
    engagement_js_errors: [...groupBy(errors, (e) => `${e.error_type}|${e.error_message}`)].map(
      ([, e]) => ({
        error_type: e[0]?.error_type ?? '',
        error_message: e[0]?.error_message ?? '',
        js_errors: ids(e, () => true),
        sessions: distinct(e, (x) => x.session_id),
      }),
    ),
    vitals_per_page: [...byPath].map(([path, e]) => ({
      path,
      lcp_p75: p75(e, 'LCP'),
      inp_p75: p75(e, 'INP'),
      cls_p75: p75(e, 'CLS'),
    })),
    vitals_lcp_over_time: overTime('LCP', 'lcp_p75'),
    vitals_inp_over_time: overTime('INP', 'inp_p75'),
    vitals_cls_over_time: overTime('CLS', 'cls_p75'),
    pipeline_outcomes_per_minute: [
      ...[...groupBy(ev, (e) => String(floorTo(e.received_at, MIN)))].map(([m, e]) => ({
        minute: Number(m),
        outcome: 'stored',
        inputs: ids(e, () => true),
      })),
      ...[
        ...groupBy(
          seed.quarantine,
          (q) => `${floorTo(q.received_at, MIN)}|${reasonLabel(q.step, q.reason)}`,
        ),
      ].map(([k, q]) => ({
        minute: Number(k.split('|')[0]),
        outcome: k.split('|')[1] ?? '',
        inputs: q.length,
      })),
    ],
    pipeline_freshness: [...receivedRows].map(([m, rows]) => {
      const lags = rows.map((r) => r.inserted_at - r.received_at);
      return {
        arrived_at: Number(m),
        freshness_p50_s: quantileExact(lags, 0.5) / 1000,
        freshness_p95_s: quantileExact(lags, 0.95) / 1000,
      };
    }),
    pipeline_late_events: [...byMinute].map(([m, e]) => ({
      minute: Number(m),
      events: ids(e, () => true),
      late: ids(e, (x) => x.received_at > x.ts + 2 * MIN),
    })),
    pipeline_quarantine_reasons: [...groupBy(seed.quarantine, (q) => `${q.step}|${q.reason}`)].map(
      ([, q]) => ({ step: q[0]?.step ?? '', reason: q[0]?.reason ?? '', quarantined: q.length }),
    ),
  };
}

/** Rows in a canonical order with numbers rounded to 6 digits, for comparison. */
export function canonical(rows: ExpectedRow[]): ExpectedRow[] {
  const round = (v: string | number | null): string | number | null =>
    typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v;
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
