/**
 * What `gosight top` asks ClickHouse, and how the answer becomes windows.
 * Pure: no client here, so the SQL and the window arithmetic are unit-tested.
 */
import type { TopDimension } from './top-args';

/** The `events` column each `--by` groups on. */
const COLUMN: Record<TopDimension, string> = {
  type: 'type',
  path: 'path',
  segment: 'segment',
  country: 'country',
};

/** The window range a view at `now` shows: `windows` windows, the last one holding `now`. */
export function windowRange(
  now: number,
  windowMs: number,
  windows: number,
): { from: number; to: number } {
  const current = Math.floor(now / windowMs);
  return { from: (current - windows + 1) * windowMs, to: (current + 1) * windowMs };
}

export interface TopQueryOptions {
  database: string;
  by: TopDimension;
  projects: string[];
  windowMs: number;
  /** Rows per window. */
  top: number;
  from: number;
  to: number;
}

/**
 * The query of one refresh and its parameters: per window of event time (`ts`)
 * the `top` most frequent values of the dimension, each row with its window's
 * total. Copies of an event (same project and event id, not merged yet) count
 * once: the inner query keeps one row per event, as `FINAL` would, without
 * FINAL's read of every granule of the table at each refresh.
 */
export function topQuery(options: TopQueryOptions): {
  query: string;
  params: Record<string, unknown>;
} {
  const where = [
    `ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`,
    `ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
    ...(options.projects.length > 0 ? ['project_id IN {projects:Array(String)}'] : []),
  ];
  const query = [
    'SELECT window, key, count() AS events, sum(count()) OVER (PARTITION BY window) AS window_events',
    'FROM (',
    '  SELECT intDiv(toUnixTimestamp64Milli(any(ts)), {window_ms:Int64}) AS window,',
    `         toString(any(${COLUMN[options.by]})) AS key`,
    `  FROM ${options.database}.events`,
    `  WHERE ${where.join(' AND ')}`,
    '  GROUP BY project_id, event_id',
    ')',
    'GROUP BY window, key',
    'ORDER BY window DESC, events DESC, key ASC',
    'LIMIT {top:UInt32} BY window',
  ].join('\n');
  return {
    query,
    params: {
      from: options.from,
      to: options.to,
      window_ms: options.windowMs,
      top: options.top,
      ...(options.projects.length > 0 ? { projects: options.projects } : {}),
    },
  };
}

/** Whether `database.events` has a `segment` column (migration 0007); one row with `n`. */
export function segmentColumnQuery(database: string): {
  query: string;
  params: Record<string, unknown>;
} {
  return {
    query:
      "SELECT count() AS n FROM system.columns WHERE database = {database:String} AND table = 'events' AND name = 'segment'",
    params: { database },
  };
}

/** One row of the answer, as JSONEachRow gives it (64-bit integers arrive as strings). */
export interface TopRow {
  window: number | string;
  key: string;
  events: number | string;
  window_events: number | string;
}

export interface TopWindow {
  /** Start, epoch ms (inclusive). */
  start: number;
  /** End, epoch ms (exclusive). */
  end: number;
  /** Events in the window (all of them, not only the top rows). */
  events: number;
  /** Events per second: over the window, or over its elapsed part for the current one. */
  perSecond: number;
  /** The window holds `now`: it is still filling. */
  current: boolean;
  /** The most frequent values, most first. */
  rows: { key: string; events: number }[];
}

/** The windows of the range, newest first; a window without events has 0 and no rows. */
export function toWindows(
  rows: readonly TopRow[],
  options: { now: number; windowMs: number; windows: number },
): TopWindow[] {
  const { now, windowMs, windows } = options;
  const { from } = windowRange(now, windowMs, windows);
  const byIndex = new Map<number, TopWindow>();
  const result: TopWindow[] = [];
  for (let i = windows - 1; i >= 0; i -= 1) {
    const start = from + i * windowMs;
    const end = start + windowMs;
    const current = now >= start && now < end;
    const window: TopWindow = { start, end, events: 0, perSecond: 0, current, rows: [] };
    byIndex.set(start / windowMs, window);
    result.push(window);
  }
  for (const row of rows) {
    const window = byIndex.get(Number(row.window));
    if (!window) continue;
    window.events = Number(row.window_events);
    window.rows.push({ key: row.key, events: Number(row.events) });
  }
  for (const window of result) {
    // The current window: per second of the part that has passed (at least 1 s, so
    // the first moments of a window do not show a burst).
    const seconds = window.current
      ? Math.max(1, (now - window.start) / 1000)
      : (window.end - window.start) / 1000;
    window.perSecond = window.events / seconds;
    window.rows.sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return result;
}
