/** The text of one `gosight top` frame: a header, the lag line and the windows table. Pure. */
import type { TopDimension } from './top-args';
import type { TopWindow } from './top-query';

/** What the lag line shows: the groups' totals, why there are none, or why they could not be read. */
export type LagStatus =
  | { kind: 'groups'; groups: { group: string; topic: string; total: number }[] }
  | { kind: 'none'; reason: string }
  | { kind: 'error'; message: string };

export interface TopFrame {
  now: number;
  windowMs: number;
  by: TopDimension;
  projects: string[];
  /** Newest first, as toWindows gives them; undefined when the query failed. */
  windows: TopWindow[] | undefined;
  /** Why the windows are missing (ClickHouse unreachable, a query error). */
  error?: string;
  lag: LagStatus;
}

const MAX_KEY = 48;

/**
 * A stored value made safe to print: control characters (a page path may hold
 * an ANSI escape sent by anyone) become `?`, and long values are cut with `…`.
 */
export function printable(value: string): string {
  if (value === '') return '(empty)';
  // eslint-disable-next-line no-control-regex
  const safe = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > MAX_KEY ? `${safe.slice(0, MAX_KEY - 1)}…` : safe;
}

/** `10s`, `1m`, `1m30s`, `2h`, `1d`: the window width as flags write it. */
export function durationLabel(ms: number): string {
  let seconds = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return parts.join('') || '0s';
}

const iso = (ms: number) => new Date(ms).toISOString();
const clock = (ms: number) => iso(ms).slice(11, 19);
const dayClock = (ms: number) => `${iso(ms).slice(5, 10)} ${iso(ms).slice(11, 16)}`;

/** Events per second as the table shows them: one decimal below 100. */
export function rate(perSecond: number): string {
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toString();
}

function lagLine(lag: LagStatus): string {
  if (lag.kind === 'none') return `lag      n/a: ${lag.reason}`;
  if (lag.kind === 'error') return `lag      unavailable: ${lag.message}`;
  if (lag.groups.length === 0) return 'lag      no consumer groups';
  return `lag      ${lag.groups.map((g) => `${g.group} ${g.total} (${g.topic})`).join(' · ')}`;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) =>
        rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The lines of one frame. */
export function formatTopFrame(frame: TopFrame): string[] {
  const scope =
    frame.projects.length > 0
      ? `project ${frame.projects.map(printable).join(', ')}`
      : 'every project';
  const lines = [
    `gosight top · events by ${frame.by} · ${durationLabel(frame.windowMs)} windows of event time · ${scope} · ${iso(frame.now).slice(0, 19).replace('T', ' ')} UTC`,
    lagLine(frame.lag),
    '',
  ];
  if (!frame.windows) {
    lines.push(`ClickHouse: ${frame.error ?? 'no answer'}`);
    return lines;
  }
  const windows = frame.windows;
  const first = windows[windows.length - 1];
  const last = windows[0];
  const oneDay =
    first !== undefined &&
    last !== undefined &&
    iso(first.start).slice(0, 10) === iso(last.end - 1).slice(0, 10);
  const label = (w: TopWindow) =>
    oneDay ? `${clock(w.start)}-${clock(w.end)}` : `${dayClock(w.start)}-${dayClock(w.end)}`;

  const rows = [['WINDOW (UTC)', 'EVENTS', 'EVENTS/S', frame.by.toUpperCase(), 'COUNT', 'SHARE']];
  for (const w of windows) {
    const head = [`${label(w)}${w.current ? ' *' : ''}`, String(w.events), rate(w.perSecond)];
    if (w.rows.length === 0) rows.push([...head, '-', '', '']);
    w.rows.forEach((r, i) => {
      const share = w.events > 0 ? `${Math.round((100 * r.events) / w.events)}%` : '';
      rows.push([...(i === 0 ? head : ['', '', '']), printable(r.key), String(r.events), share]);
    });
  }
  lines.push(...table(rows, new Set([1, 2, 4, 5])));
  if (windows.some((w) => w.current))
    lines.push('', '* still filling: events/s over the part that has passed');
  return lines;
}
