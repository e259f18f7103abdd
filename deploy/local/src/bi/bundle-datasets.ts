/**
 * The Superset datasets of the gosight dashboards: gosight's tables and views
 * as the read-only analyst sees them. Table names are unqualified, so they
 * resolve in the database named by the connection URI (`…/gosight`).
 *
 * Counts are exact under duplicates, like the tables promise: `events` is
 * counted with uniqExact over event_id (a redelivered copy not yet merged away
 * adds nothing), the *_1m tables are read with their -Merge combinators, and
 * `sessions` is read with FINAL (the latest version of each session row).
 */

/** One column of a dataset; `expression` makes it a computed column. */
export interface DatasetColumn {
  name: string;
  type: string;
  isTime?: boolean;
  expression?: string;
  label?: string;
}

/** A saved metric: a SQL aggregate over the dataset's rows. */
export interface DatasetMetric {
  name: string;
  expression: string;
  label: string;
  format?: string;
}

/** A dataset: a table (`sql` absent) or a virtual dataset over a SELECT. */
export interface DatasetSpec {
  key: string;
  tableName: string;
  description: string;
  sql?: string;
  timeColumn: string;
  columns: DatasetColumn[];
  metrics: DatasetMetric[];
}

const str = (name: string, label?: string): DatasetColumn => ({
  name,
  type: 'String',
  ...(label === undefined ? {} : { label }),
});
const time = (name: string, type = "DateTime64(3, 'UTC')"): DatasetColumn => ({
  name,
  type,
  isTime: true,
});
const num = (name: string, type: string): DatasetColumn => ({ name, type });

/** p75 of a Web Vitals digest column of page_stats_1m; NULL where no value was reported. */
function p75(column: string, digits: number): string {
  const q = `quantilesTDigestMerge(0.5, 0.75, 0.95)(${column})[2]`;
  return `if(isNaN(${q}), NULL, round(toFloat64(${q}), ${digits}))`;
}

const pageStats: DatasetSpec = {
  key: 'page_stats_1m',
  tableName: 'page_stats_1m',
  description:
    'Per project, minute and path: page views, clicks, errors, sessions, Web Vitals digests.',
  timeColumn: 'minute',
  columns: [str('project_id'), time('minute', "DateTime('UTC')"), str('path', 'Page')],
  metrics: [
    { name: 'page_views', expression: 'uniqExactMerge(page_views)', label: 'Page views' },
    { name: 'sessions', expression: 'uniqExactMerge(sessions)', label: 'Sessions' },
    { name: 'clicks', expression: 'uniqExactMerge(clicks)', label: 'Clicks' },
    { name: 'js_errors', expression: 'uniqExactMerge(errors)', label: 'JS errors' },
    { name: 'lcp_p75', expression: p75('lcp', 0), label: 'LCP p75 (ms)', format: ',.0f' },
    { name: 'inp_p75', expression: p75('inp', 0), label: 'INP p75 (ms)', format: ',.0f' },
    { name: 'cls_p75', expression: p75('cls', 3), label: 'CLS p75', format: '.3f' },
  ],
};

const sessions: DatasetSpec = {
  key: 'sessions',
  tableName: 'sessions_final',
  description: 'One row per session: the latest version of each row of gosight.sessions (FINAL).',
  sql: 'SELECT * FROM sessions FINAL',
  timeColumn: 'started_at',
  columns: [
    str('project_id'),
    str('session_id'),
    str('anon_id'),
    time('started_at'),
    time('ended_at'),
    num('duration_ms', 'UInt64'),
    str('entry_path'),
    str('exit_path'),
    num('page_count', 'UInt32'),
    num('click_count', 'UInt32'),
    num('max_scroll_depth', 'UInt8'),
    num('is_bounce', 'Bool'),
    str('browser'),
    str('os'),
    str('device_type'),
    str('country'),
    str('referrer'),
    str('utm_source'),
    str('utm_medium'),
    str('utm_campaign'),
    {
      name: 'referrer_domain',
      type: 'String',
      expression: "if(referrer = '', '(direct)', domain(referrer))",
      label: 'Referrer',
    },
    {
      name: 'utm_source_label',
      type: 'String',
      expression: "if(utm_source = '', '(none)', utm_source)",
      label: 'UTM source',
    },
    {
      name: 'country_label',
      type: 'String',
      expression: "if(country = '', '(unknown)', country)",
      label: 'Country',
    },
    {
      name: 'device_label',
      type: 'String',
      expression: "if(device_type = '', '(unknown)', device_type)",
      label: 'Device',
    },
    {
      name: 'browser_label',
      type: 'String',
      expression: "if(browser = '', '(unknown)', browser)",
      label: 'Browser',
    },
  ],
  metrics: [
    { name: 'sessions', expression: 'count()', label: 'Sessions' },
    { name: 'visitors', expression: 'uniqExact(anon_id)', label: 'Visitors' },
    { name: 'bounce_rate', expression: 'avg(is_bounce)', label: 'Bounce rate', format: '.1%' },
    {
      name: 'median_duration_s',
      expression: 'quantileExact(0.5)(duration_ms) / 1000',
      label: 'Median duration (s)',
      format: ',.1f',
    },
    {
      name: 'pages_per_session',
      expression: 'avg(page_count)',
      label: 'Pages per session',
      format: '.2f',
    },
    {
      name: 'avg_scroll_depth',
      expression: 'avg(max_scroll_depth)',
      label: 'Scroll depth (avg %)',
      format: '.0f',
    },
  ],
};

const events: DatasetSpec = {
  key: 'events',
  tableName: 'events',
  description:
    'Raw enriched events; every count is uniqExact over event_id (exact under duplicates).',
  timeColumn: 'ts',
  columns: [
    str('project_id'),
    time('ts'),
    time('received_at'),
    time('inserted_at'),
    // The freshness chart's time axis: an axis named received_at would be an alias that
    // ClickHouse substitutes into the metric's own received_at (received → stored).
    {
      name: 'arrived_at',
      type: "DateTime64(3, 'UTC')",
      isTime: true,
      expression: 'received_at',
      label: 'Received at',
    },
    str('type'),
    str('name'),
    str('path', 'Page'),
    str('session_id'),
    str('anon_id'),
    str('error_type', 'Error type'),
    str('error_message', 'Message'),
    num('is_rage_click', 'Bool'),
    num('is_dead_click', 'Bool'),
    str('country'),
    str('browser'),
    str('device_type'),
  ],
  metrics: [
    { name: 'events', expression: 'uniqExact(event_id)', label: 'Events' },
    {
      name: 'page_views',
      expression: "uniqExactIf(event_id, type = 'page_view')",
      label: 'Page views',
    },
    { name: 'visitors', expression: 'uniqExact(anon_id)', label: 'Visitors' },
    { name: 'sessions', expression: 'uniqExact(session_id)', label: 'Sessions' },
    {
      name: 'rage_clicks',
      expression: 'uniqExactIf(event_id, is_rage_click)',
      label: 'Rage clicks',
    },
    {
      name: 'dead_clicks',
      expression: 'uniqExactIf(event_id, is_dead_click)',
      label: 'Dead clicks',
    },
    {
      name: 'js_errors',
      expression: "uniqExactIf(event_id, type = 'js_error')",
      label: 'JS errors',
    },
    {
      name: 'freshness_p50_s',
      expression: "quantileExact(0.5)(dateDiff('millisecond', received_at, inserted_at)) / 1000",
      label: 'Received → stored p50 (s)',
      format: ',.2f',
    },
    {
      name: 'freshness_p95_s',
      expression: "quantileExact(0.95)(dateDiff('millisecond', received_at, inserted_at)) / 1000",
      label: 'Received → stored p95 (s)',
      format: ',.2f',
    },
  ],
};

const pipelineOutcomes: DatasetSpec = {
  key: 'pipeline_outcomes',
  tableName: 'pipeline_outcomes_1m',
  description:
    'Per project and minute of arrival: events stored, and inputs quarantined by step and reason.',
  sql: [
    "SELECT project_id, toStartOfMinute(received_at) AS minute, 'stored' AS outcome,",
    '       uniqExact(event_id) AS events',
    'FROM events',
    'GROUP BY project_id, minute',
    'UNION ALL',
    'SELECT project_id, toStartOfMinute(received_at) AS minute,',
    "       concat('quarantined: ', step, ' / ', substring(splitByString(': ', reason)[1], 1, 48)) AS outcome,",
    '       count() AS events',
    'FROM events_quarantine',
    'GROUP BY project_id, minute, outcome',
  ].join('\n'),
  timeColumn: 'minute',
  columns: [
    str('project_id'),
    time('minute', "DateTime('UTC')"),
    str('outcome'),
    num('events', 'UInt64'),
  ],
  metrics: [{ name: 'inputs', expression: 'sum(events)', label: 'Inputs' }],
};

const quarantine: DatasetSpec = {
  key: 'events_quarantine',
  tableName: 'events_quarantine',
  description:
    'Inputs accepted but not storable as events: the raw input, why, and which step said so.',
  timeColumn: 'received_at',
  columns: [
    str('project_id'),
    time('received_at'),
    str('source'),
    str('step', 'Step'),
    str('reason', 'Reason'),
  ],
  metrics: [{ name: 'quarantined', expression: 'count()', label: 'Quarantined' }],
};

const lateEvents: DatasetSpec = {
  key: 'late_events_1m',
  tableName: 'late_events_1m',
  description:
    'Per project and minute of event time: events, and those that arrived over 2 minutes late.',
  timeColumn: 'minute',
  columns: [str('project_id'), time('minute', "DateTime('UTC')")],
  metrics: [
    { name: 'events', expression: 'uniqExactMerge(events)', label: 'Events' },
    { name: 'late', expression: 'uniqExactMerge(late)', label: 'Late (> 2 min)' },
  ],
};

/** Every dataset of the bundle. */
export const DATASETS: readonly DatasetSpec[] = [
  pageStats,
  sessions,
  events,
  pipelineOutcomes,
  quarantine,
  lateEvents,
];
