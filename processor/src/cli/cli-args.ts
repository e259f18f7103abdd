/** Parses `gosight` command lines; bad flags are a usage error (exit 2). */
import { parseArgs } from 'node:util';
import { usageError } from '../errors';
import { parseTopArgs, TOP_USAGE, type TopCommand } from './top-args';
import { parseProfilesArgs, PROFILES_USAGE, type ProfilesImportCommand } from './profiles-args';

export type Command =
  | { name: 'help'; text: string }
  | {
      name: 'lag';
      groups: string[];
      topic: string | undefined;
      json: boolean;
      maxLag: number | undefined;
    }
  | { name: 'dlq-list'; limit: number; json: boolean }
  | TopCommand
  | ProfilesImportCommand
  | { name: 'dlq-replay'; since: number | undefined; dryRun: boolean; topic: string | undefined }
  | {
      name: 'export';
      /** Inclusive lower bound, epoch ms. */
      from: number;
      /** Exclusive upper bound, epoch ms. */
      to: number;
      projects: string[];
      table: ExportTable;
      format: ExportFormat;
      out: string;
      force: boolean;
    };

export const EXPORT_TABLES = ['events', 'sessions', 'events_quarantine'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export const EXPORT_FORMATS = ['parquet', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const USAGE = {
  main: `usage: gosight <command> [flags]

commands:
  lag          consumer lag per partition of the processor's groups
  dlq list     the most recent quarantined inputs (from events_quarantine)
  dlq replay   re-drive quarantined events from the DLQ topic after a fix
  export       stream a time range of a table to a Parquet, NDJSON or CSV file
  top          live console view: events/s and top values per window, consumer lag
  profiles import  store user profiles (segment, traits) from a CSV or NDJSON file

Run \`gosight <command> --help\` for its flags. Configuration comes from the
processor's environment variables (KAFKA_BROKERS, CLICKHOUSE_URL, ...).`,
  lag: `usage: gosight lag [--group G]... [--topic T] [--json] [--max-lag N]

  --group G     consumer group (repeatable); default: the processor's group
  --topic T     topic; default GOSIGHT_TOPIC_RAW (gosight.events.raw)
  --json        machine-readable output
  --max-lag N   exit 1 when any group's total lag is above N (for cron and alerts)`,
  dlqList: `usage: gosight dlq list [--limit N] [--json]

  --limit N   how many, newest first (default 20)
  --json      one JSON object per line`,
  dlqReplay: `usage: gosight dlq replay [--since TIME] [--dry-run] [--topic T]

Reads the DLQ topic (from TIME, default its beginning, up to its end now) and
produces every quarantined event that is valid now back to the raw topic.
Replays never double-count: a re-driven event already stored changes nothing.

  --since TIME   ISO date/time or epoch ms
  --dry-run      count what would be re-driven, produce nothing
  --topic T      the raw topic to re-drive into (default GOSIGHT_TOPIC_RAW)`,
  export: `usage: gosight export --from TIME --to TIME --format parquet|ndjson|csv --out FILE
                      [--table events|sessions|events_quarantine] [--project P]... [--force]

Streams the rows of TABLE with FROM <= time < TO (ts for events, started_at for
sessions, received_at for events_quarantine), deduplicated as queries see them
(FINAL), straight from ClickHouse to FILE. Progress goes to stderr.

  --from TIME     ISO date/time, epoch ms, \`now\`, or relative: -30m, -1h, -7d
  --to TIME       same forms; must be after --from
  --table T       events (default), sessions or events_quarantine
  --project P     only this project (repeatable); default: every project
  --format F      parquet, ndjson (one JSON object per line) or csv (with a header)
  --out FILE      the file to write; an existing file is refused
  --force         overwrite FILE if it exists`,
} as const;

type Flags = Record<string, string | boolean | (string | boolean)[] | undefined>;
type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

function parse(args: string[], options: FlagSpec): Flags {
  try {
    const { values } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

function nonNegativeInt(flag: string, value: Flags[string]): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw usageError(`${flag} expects a whole number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return n;
}

function time(flag: string, value: Flags[string]): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw usageError(`${flag} expects an ISO date/time or epoch ms, got ${JSON.stringify(text)}`);
  return ms;
}

const RELATIVE = /^-(\d+)([smhdw])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** An export bound: ISO, epoch ms, `now` or `-<n><s|m|h|d|w>` before `now`. */
function exportTime(flag: string, value: Flags[string], now: number): number {
  if (value === undefined) throw usageError(`${flag} is required\n\n${USAGE.export}`);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw usageError(
      `${flag} expects an ISO date/time, epoch ms, now or -<n>s|m|h|d|w, got ${JSON.stringify(text)}`,
    );
  return ms;
}

function oneOf<T extends string>(flag: string, value: Flags[string], allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw usageError(
    value === undefined
      ? `${flag} is required (${allowed.join(', ')})`
      : `${flag} expects one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** `--from -1h` as `--from=-1h`: node's parseArgs takes a leading dash for a flag. */
function joinRelativeTimes(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if ((arg === '--from' || arg === '--to') && next !== undefined && RELATIVE.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else joined.push(arg);
  }
  return joined;
}

function parseExport(args: string[], now: number): Command {
  const values = parse(joinRelativeTimes(args), {
    from: { type: 'string' },
    to: { type: 'string' },
    project: { type: 'string', multiple: true },
    table: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) return { name: 'help', text: USAGE.export };
  const from = exportTime('--from', values.from, now);
  const to = exportTime('--to', values.to, now);
  if (to <= from) throw usageError('--to must be after --from');
  const out = values.out;
  if (typeof out !== 'string' || out === '') throw usageError('--out FILE is required');
  return {
    name: 'export',
    from,
    to,
    projects: (values.project as string[] | undefined) ?? [],
    table: oneOf('--table', values.table ?? 'events', EXPORT_TABLES),
    format: oneOf('--format', values.format, EXPORT_FORMATS),
    out,
    force: values.force === true,
  };
}

/** The command an argv (without node and script) asks for; `now` anchors relative times. */
export function parseCommand(argv: readonly string[], now = Date.now()): Command {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { name: 'help', text: USAGE.main };
  }
  if (first === 'lag') {
    const values = parse(argv.slice(1), {
      group: { type: 'string', multiple: true },
      topic: { type: 'string' },
      json: { type: 'boolean' },
      'max-lag': { type: 'string' },
    });
    if (values.help) return { name: 'help', text: USAGE.lag };
    return {
      name: 'lag',
      groups: (values.group as string[] | undefined) ?? [],
      topic: typeof values.topic === 'string' ? values.topic : undefined,
      json: values.json === true,
      maxLag: nonNegativeInt('--max-lag', values['max-lag']),
    };
  }
  if (first === 'dlq') {
    if (second === 'list') {
      const values = parse(rest, { limit: { type: 'string' }, json: { type: 'boolean' } });
      if (values.help) return { name: 'help', text: USAGE.dlqList };
      return {
        name: 'dlq-list',
        limit: nonNegativeInt('--limit', values.limit) ?? 20,
        json: values.json === true,
      };
    }
    if (second === 'replay') {
      const values = parse(rest, {
        since: { type: 'string' },
        'dry-run': { type: 'boolean' },
        topic: { type: 'string' },
      });
      if (values.help) return { name: 'help', text: USAGE.dlqReplay };
      return {
        name: 'dlq-replay',
        since: time('--since', values.since),
        dryRun: values['dry-run'] === true,
        topic: typeof values.topic === 'string' ? values.topic : undefined,
      };
    }
    if (second === '--help' || second === '-h' || second === undefined) {
      return { name: 'help', text: `${USAGE.dlqList}\n\n${USAGE.dlqReplay}` };
    }
    throw usageError(`unknown dlq command ${JSON.stringify(second)} (expected list or replay)`);
  }
  if (first === 'export') return parseExport(argv.slice(1), now);
  if (first === 'top') return parseTopArgs(argv.slice(1)) ?? { name: 'help', text: TOP_USAGE };
  if (first === 'profiles') {
    return parseProfilesArgs(argv.slice(1)) ?? { name: 'help', text: PROFILES_USAGE };
  }
  throw usageError(`unknown command ${JSON.stringify(first)}\n\n${USAGE.main}`);
}
