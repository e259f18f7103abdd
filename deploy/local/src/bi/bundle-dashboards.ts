/**
 * The four gosight dashboards and their charts (issue 18): Traffic,
 * Engagement, Web Vitals and Pipeline health. `write-bundle.ts` turns this
 * into Superset's export bundle (YAML) under deploy/bi/bundle.
 */

/** Good / needs-improvement / poor limits of a Web Vital (web.dev's thresholds). */
export interface Thresholds {
  good: number;
  poor: number;
}

/** One chart. `x` and `grain` make it a time series; `where` is a SQL filter. */
export interface ChartSpec {
  key: string;
  title: string;
  dataset: string;
  kind: 'line' | 'bar' | 'table' | 'big_number' | 'pie';
  metrics: string[];
  groupby?: string[];
  x?: string;
  grain?: 'PT1M' | 'PT1H';
  where?: string;
  stack?: boolean;
  format?: string;
  subheader?: string;
  thresholds?: Thresholds;
  /** table: colour each metric's cells by its thresholds */
  colourBy?: Record<string, Thresholds>;
  rowLimit?: number;
  description: string;
}

/** A cell of a dashboard row: a chart (by key) or a Markdown note. */
export type Cell = { chart: string; width: number } | { markdown: string; width: number };

/** A dashboard: rows of cells, each row 12 columns wide. */
export interface DashboardSpec {
  key: string;
  title: string;
  slug: string;
  rows: { height: number; cells: Cell[] }[];
}

const LCP: Thresholds = { good: 2500, poor: 4000 };
const INP: Thresholds = { good: 200, poor: 500 };
const CLS: Thresholds = { good: 0.1, poor: 0.25 };

/** Every chart of the bundle. */
export const CHARTS: readonly ChartSpec[] = [
  // Traffic
  {
    key: 'traffic_page_views_per_minute',
    title: 'Page views and sessions per minute',
    dataset: 'page_stats_1m',
    kind: 'line',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['page_views', 'sessions'],
    description: 'From page_stats_1m; sessions are unique sessions seen in the minute.',
  },
  {
    key: 'traffic_visitors_per_hour',
    title: 'Unique visitors per hour',
    dataset: 'events',
    kind: 'bar',
    x: 'ts',
    grain: 'PT1H',
    metrics: ['visitors', 'page_views'],
    description: 'Unique anonymous visitor ids (anon_id) and page views per hour.',
  },
  {
    key: 'traffic_top_pages',
    title: 'Top pages',
    dataset: 'page_stats_1m',
    kind: 'table',
    groupby: ['path'],
    metrics: ['page_views', 'sessions', 'clicks'],
    rowLimit: 50,
    description: 'Page views, unique sessions and clicks per path.',
  },
  {
    key: 'traffic_referrers',
    title: 'Referrers',
    dataset: 'sessions',
    kind: 'table',
    groupby: ['referrer_domain'],
    metrics: ['sessions'],
    rowLimit: 50,
    description: "Sessions by the referring site of their first page ('(direct)' when none).",
  },
  {
    key: 'traffic_utm_sources',
    title: 'UTM sources',
    dataset: 'sessions',
    kind: 'pie',
    groupby: ['utm_source_label'],
    metrics: ['sessions'],
    rowLimit: 20,
    description: 'Sessions by utm_source of their landing page.',
  },
  {
    key: 'traffic_countries',
    title: 'Countries',
    dataset: 'sessions',
    kind: 'pie',
    groupby: ['country_label'],
    metrics: ['sessions'],
    rowLimit: 20,
    description: 'Sessions by country (GeoIP).',
  },
  {
    key: 'traffic_devices_browsers',
    title: 'Devices and browsers',
    dataset: 'sessions',
    kind: 'table',
    groupby: ['device_label', 'browser_label'],
    metrics: ['sessions'],
    rowLimit: 50,
    description: 'Sessions by device type and browser.',
  },
  // Engagement
  {
    key: 'engagement_sessions_per_hour',
    title: 'Sessions per hour',
    dataset: 'sessions',
    kind: 'bar',
    x: 'started_at',
    grain: 'PT1H',
    metrics: ['sessions'],
    description: 'Sessions by the hour they started.',
  },
  {
    key: 'engagement_bounce_rate',
    title: 'Bounce rate',
    dataset: 'sessions',
    kind: 'big_number',
    metrics: ['bounce_rate'],
    format: '.1%',
    subheader: 'of sessions saw one page',
    description: 'Share of sessions with a single page view.',
  },
  {
    key: 'engagement_median_duration',
    title: 'Median session duration',
    dataset: 'sessions',
    kind: 'big_number',
    metrics: ['median_duration_s'],
    format: ',.1f',
    subheader: 'seconds',
    description: 'Median of first to last event of a session.',
  },
  {
    key: 'engagement_pages_per_session',
    title: 'Pages per session',
    dataset: 'sessions',
    kind: 'big_number',
    metrics: ['pages_per_session'],
    format: '.2f',
    subheader: 'page views per session',
    description: 'Average page views per session (SPA views included).',
  },
  {
    key: 'engagement_scroll_depth',
    title: 'Scroll depth',
    dataset: 'sessions',
    kind: 'big_number',
    metrics: ['avg_scroll_depth'],
    format: '.0f',
    subheader: '% of the page (deepest, average)',
    description: 'Average of the deepest scroll of each session, in percent of the page.',
  },
  {
    key: 'engagement_rage_dead_clicks',
    title: 'Rage and dead clicks by page',
    dataset: 'events',
    kind: 'table',
    groupby: ['path'],
    metrics: ['rage_clicks', 'dead_clicks'],
    where: "type = 'click' AND (is_rage_click OR is_dead_click)",
    rowLimit: 50,
    description: 'Clicks that were rage clicks (repeated fast) or dead clicks (nothing happened).',
  },
  {
    key: 'engagement_js_errors',
    title: 'JavaScript errors by message',
    dataset: 'events',
    kind: 'table',
    groupby: ['error_type', 'error_message'],
    metrics: ['js_errors', 'sessions'],
    where: "type = 'js_error'",
    rowLimit: 50,
    description: 'Errors and the sessions they hit, by type and message.',
  },
  // Web Vitals
  {
    key: 'vitals_per_page',
    title: 'Web Vitals p75 per page',
    dataset: 'page_stats_1m',
    kind: 'table',
    groupby: ['path'],
    metrics: ['lcp_p75', 'inp_p75', 'cls_p75'],
    colourBy: { lcp_p75: LCP, inp_p75: INP, cls_p75: CLS },
    rowLimit: 50,
    description: 'p75 of LCP, INP and CLS per path; green good, amber needs improvement, red poor.',
  },
  {
    key: 'vitals_lcp_over_time',
    title: 'LCP p75 over time (ms)',
    dataset: 'page_stats_1m',
    kind: 'line',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['lcp_p75'],
    thresholds: LCP,
    description: 'Largest Contentful Paint, p75; good ≤ 2500 ms, poor > 4000 ms.',
  },
  {
    key: 'vitals_inp_over_time',
    title: 'INP p75 over time (ms)',
    dataset: 'page_stats_1m',
    kind: 'line',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['inp_p75'],
    thresholds: INP,
    description: 'Interaction to Next Paint, p75; good ≤ 200 ms, poor > 500 ms.',
  },
  {
    key: 'vitals_cls_over_time',
    title: 'CLS p75 over time',
    dataset: 'page_stats_1m',
    kind: 'line',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['cls_p75'],
    thresholds: CLS,
    description: 'Cumulative Layout Shift, p75; good ≤ 0.1, poor > 0.25.',
  },
  // Pipeline health
  {
    key: 'pipeline_outcomes_per_minute',
    title: 'Stored vs quarantined per minute',
    dataset: 'pipeline_outcomes',
    kind: 'bar',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['inputs'],
    groupby: ['outcome'],
    stack: true,
    description: 'Events stored, and inputs quarantined by step and reason, by minute of arrival.',
  },
  {
    key: 'pipeline_freshness',
    title: 'Freshness: received → stored (s)',
    dataset: 'events',
    kind: 'line',
    x: 'arrived_at',
    grain: 'PT1M',
    metrics: ['freshness_p50_s', 'freshness_p95_s'],
    description: 'Seconds from the ingestor receiving an event to its row in ClickHouse.',
  },
  {
    key: 'pipeline_late_events',
    title: 'Late events per minute',
    dataset: 'late_events_1m',
    kind: 'bar',
    x: 'minute',
    grain: 'PT1M',
    metrics: ['events', 'late'],
    description:
      'Events per minute of event time, and those that arrived more than 2 minutes late.',
  },
  {
    key: 'pipeline_quarantine_reasons',
    title: 'Quarantined inputs by reason',
    dataset: 'events_quarantine',
    kind: 'table',
    groupby: ['step', 'reason'],
    metrics: ['quarantined'],
    rowLimit: 50,
    description: 'What was quarantined, by the step that refused it and why.',
  },
];

const VITALS_NOTE = [
  '### Thresholds (p75)',
  '',
  '| metric | good | needs improvement | poor |',
  '| --- | --- | --- | --- |',
  '| LCP | ≤ 2.5 s | ≤ 4 s | > 4 s |',
  '| INP | ≤ 200 ms | ≤ 500 ms | > 500 ms |',
  '| CLS | ≤ 0.1 | ≤ 0.25 | > 0.25 |',
  '',
  'Dashed lines on the charts mark the good (green) and poor (red) limits.',
].join('\n');

const LAG_NOTE = [
  '### Consumer lag',
  '',
  'Kafka consumer lag is not in ClickHouse: read it with `npx gosight lag`',
  '(or `--max-lag N` in cron), or from the processor metric',
  '`gosight_processor_consumer_lag` in Prometheus / Grafana',
  '(`docker compose --profile monitoring`).',
].join('\n');

/** Every dashboard of the bundle. */
export const DASHBOARDS: readonly DashboardSpec[] = [
  {
    key: 'traffic',
    title: 'gosight · Traffic',
    slug: 'gosight-traffic',
    rows: [
      {
        height: 50,
        cells: [
          { chart: 'traffic_page_views_per_minute', width: 6 },
          { chart: 'traffic_visitors_per_hour', width: 6 },
        ],
      },
      {
        height: 50,
        cells: [
          { chart: 'traffic_top_pages', width: 6 },
          { chart: 'traffic_referrers', width: 6 },
        ],
      },
      {
        height: 50,
        cells: [
          { chart: 'traffic_utm_sources', width: 4 },
          { chart: 'traffic_countries', width: 4 },
          { chart: 'traffic_devices_browsers', width: 4 },
        ],
      },
    ],
  },
  {
    key: 'engagement',
    title: 'gosight · Engagement',
    slug: 'gosight-engagement',
    rows: [
      {
        height: 30,
        cells: [
          { chart: 'engagement_bounce_rate', width: 3 },
          { chart: 'engagement_median_duration', width: 3 },
          { chart: 'engagement_pages_per_session', width: 3 },
          { chart: 'engagement_scroll_depth', width: 3 },
        ],
      },
      { height: 50, cells: [{ chart: 'engagement_sessions_per_hour', width: 12 }] },
      {
        height: 50,
        cells: [
          { chart: 'engagement_rage_dead_clicks', width: 5 },
          { chart: 'engagement_js_errors', width: 7 },
        ],
      },
    ],
  },
  {
    key: 'web_vitals',
    title: 'gosight · Web Vitals',
    slug: 'gosight-web-vitals',
    rows: [
      {
        height: 50,
        cells: [
          { chart: 'vitals_per_page', width: 8 },
          { markdown: VITALS_NOTE, width: 4 },
        ],
      },
      {
        height: 50,
        cells: [
          { chart: 'vitals_lcp_over_time', width: 4 },
          { chart: 'vitals_inp_over_time', width: 4 },
          { chart: 'vitals_cls_over_time', width: 4 },
        ],
      },
    ],
  },
  {
    key: 'pipeline_health',
    title: 'gosight · Pipeline health',
    slug: 'gosight-pipeline-health',
    rows: [
      {
        height: 50,
        cells: [
          { chart: 'pipeline_outcomes_per_minute', width: 8 },
          { markdown: LAG_NOTE, width: 4 },
        ],
      },
      {
        height: 50,
        cells: [
          { chart: 'pipeline_freshness', width: 6 },
          { chart: 'pipeline_late_events', width: 6 },
        ],
      },
      { height: 50, cells: [{ chart: 'pipeline_quarantine_reasons', width: 12 }] },
    ],
  },
];
