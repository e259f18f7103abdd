/** The flags of `gosight top`, parsed and checked; bad values are usage errors (exit 2). */
import { parseArgs } from 'node:util';
import { usageError } from '../errors';

export const TOP_DIMENSIONS = ['type', 'path', 'segment', 'country'] as const;
export type TopDimension = (typeof TOP_DIMENSIONS)[number];

export interface TopCommand {
  name: 'top';
  /** Width of one window, ms (whole seconds). */
  windowMs: number;
  by: TopDimension;
  /** Only these projects; empty = every project. */
  projects: string[];
  /** How many windows to show, the current one included. */
  windows: number;
  /** Rows per window (the most frequent values of `by`). */
  top: number;
  once: boolean;
  /** Time between two refreshes, ms. */
  intervalMs: number;
}

export const TOP_USAGE = `usage: gosight top [--window 10s] [--by type|path|segment|country] [--project P]...
                  [--windows N] [--top N] [--interval 2s] [--once]

A live console view of the events arriving in ClickHouse: per tumbling window
of event time, events per second and the most frequent values of --by, and
the lag of the processor's consumer groups. Redraws in place on a terminal
(plain successive tables otherwise); Ctrl-C quits.

  --window D     window width: 10s (default), 30s, 1m, 5m, 1h ... (1s to 1d, whole seconds)
  --by DIM       type (default), path, segment or country
  --project P    only this project (repeatable); default: every project
  --windows N    how many windows, the current one included (default 6, at most 60)
  --top N        rows per window (default 5, at most 50)
  --interval D   refresh every D (default 2s; 200ms to 1h)
  --once         print one table and exit (for scripts)`;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration like `500ms`, `10s`, `1.5m`, `2h` in ms; throws a usage error naming `flag`. */
export function parseDuration(flag: string, text: string): number {
  const match = DURATION.exec(text);
  if (!match)
    throw usageError(
      `${flag} expects a duration like 10s, 1m or 500ms, got ${JSON.stringify(text)}`,
    );
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

function bounded(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const text = value;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max)
    throw usageError(
      `${flag} expects a whole number from 1 to ${max}, got ${JSON.stringify(text)}`,
    );
  return n;
}

/** Parses the flags after `top`; returns the command, or null when --help was asked. */
export function parseTopArgs(args: readonly string[]): TopCommand | null {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        window: { type: 'string' },
        by: { type: 'string' },
        project: { type: 'string', multiple: true },
        windows: { type: 'string' },
        top: { type: 'string' },
        interval: { type: 'string' },
        once: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw usageError(`${(error as Error).message}\n\n${TOP_USAGE}`);
  }
  if (values.help) return null;

  const windowMs = parseDuration('--window', (values.window as string | undefined) ?? '10s');
  if (windowMs % 1000 !== 0 || windowMs < 1000 || windowMs > UNIT_MS.d)
    throw usageError(`--window must be whole seconds from 1s to 1d, got ${String(values.window)}`);
  const intervalMs = parseDuration('--interval', (values.interval as string | undefined) ?? '2s');
  if (intervalMs < 200 || intervalMs > UNIT_MS.h)
    throw usageError(`--interval must be from 200ms to 1h, got ${String(values.interval)}`);

  const by = (values.by as string | undefined) ?? 'type';
  if (!(TOP_DIMENSIONS as readonly string[]).includes(by))
    throw usageError(`--by expects one of ${TOP_DIMENSIONS.join(', ')}, got ${JSON.stringify(by)}`);

  const projects = (values.project as string[] | undefined) ?? [];
  const empty = projects.find((p) => p.trim() === '');
  if (empty !== undefined) throw usageError('--project expects a project key, got ""');

  return {
    name: 'top',
    windowMs,
    by: by as TopDimension,
    projects,
    windows: bounded('--windows', values.windows as string | undefined, 6, 60),
    top: bounded('--top', values.top as string | undefined, 5, 50),
    once: values.once === true,
    intervalMs,
  };
}
