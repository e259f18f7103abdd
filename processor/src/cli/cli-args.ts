/** Parses `gosight` command lines; bad flags are a usage error (exit 2). */
import { parseArgs } from 'node:util';
import { usageError } from '../errors';

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
  | { name: 'dlq-replay'; since: number | undefined; dryRun: boolean; topic: string | undefined };

export const USAGE = {
  main: `usage: gosight <command> [flags]

commands:
  lag          consumer lag per partition of the processor's groups
  dlq list     the most recent quarantined inputs (from events_quarantine)
  dlq replay   re-drive quarantined events from the DLQ topic after a fix

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

/** The command an argv (without node and script) asks for. */
export function parseCommand(argv: readonly string[]): Command {
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
  throw usageError(`unknown command ${JSON.stringify(first)}\n\n${USAGE.main}`);
}
