/**
 * `gosight top`: queries the last windows from ClickHouse and the consumer lag,
 * and draws them, once (--once) or every --interval until Ctrl-C. On a terminal
 * each frame is redrawn in place with ANSI; elsewhere frames follow each other.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { messageOf, usageError, warehouseError } from '../errors';
import type { TopCommand } from './top-args';
import { formatTopFrame, type LagStatus, type TopFrame } from './top-format';
import { segmentColumnQuery, toWindows, topQuery, windowRange, type TopRow } from './top-query';

export interface TopCommandOptions {
  client: ClickHouseClient;
  database: string;
  /** Where ClickHouse is (the URL's origin, without credentials), for error messages. */
  where: string;
  command: TopCommand;
  /** The lag line's content; never rejects (a failure is an `error` status). */
  readLag: () => Promise<LagStatus>;
  /** Writes text to the output as is (stdout in the CLI). */
  write: (text: string) => void;
  /** Error lines (stderr in the CLI). */
  err: (line: string) => void;
  /** Redraw in place with ANSI escapes (stdout is a terminal). */
  tty: boolean;
  /** The terminal's size, to cut lines and frames that would wrap or scroll. */
  size?: () => { columns: number; rows: number } | undefined;
  /** Aborted on Ctrl-C: the view stops at once and the command resolves 0. */
  signal: AbortSignal;
  now?: () => number;
}

const ESC = '\u001b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const CLEAR_SCREEN = `${ESC}2J`;
const HOME = `${ESC}H`;
const CLEAR_LINE_END = `${ESC}K`;
const CLEAR_BELOW = `${ESC}J`;

/** One frame as the terminal gets it: from the top left, each line cleared to its end, the rest below cleared. */
export function inPlace(
  lines: readonly string[],
  size?: { columns: number; rows: number },
): string {
  let shown = [...lines];
  // A terminal that does not know its size (0 x 0, as under `script`) is not cut.
  if (size && size.columns > 0 && size.rows > 0) {
    shown = shown.slice(0, Math.max(1, size.rows - 1));
    shown = shown.map((l) => (l.length > size.columns ? l.slice(0, size.columns) : l));
  }
  return `${HOME}${shown.map((l) => `${l}${CLEAR_LINE_END}`).join('\n')}\n${CLEAR_BELOW}`;
}

async function hasSegmentColumn(
  client: ClickHouseClient,
  database: string,
  where: string,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const { query, params } = segmentColumnQuery(database);
    const result = await client.query({
      query,
      query_params: params,
      format: 'JSONEachRow',
      abort_signal: signal,
    });
    const [row] = await result.json<{ n: number | string }>();
    return Number(row?.n ?? 0) > 0;
  } catch (error) {
    throw warehouseError(`read the columns of ${database}.events at ${where}`, error);
  }
}

/** Runs the view; resolves with the exit code (1 when --once could not read the lag). */
export async function runTopCommand(options: TopCommandOptions): Promise<number> {
  const { client, database, command, signal } = options;
  const now = options.now ?? Date.now;

  if (
    command.by === 'segment' &&
    !(await hasSegmentColumn(client, database, options.where, signal))
  ) {
    throw usageError(
      `--by segment needs the segment column of ${database}.events (user segments, migration 0007), ` +
        'and this database does not have it yet: apply the migrations of a version that has it ' +
        '(npm run migrate), or use --by type, path or country',
    );
  }

  async function readWindows(at: number): Promise<Pick<TopFrame, 'windows' | 'error'>> {
    const { from, to } = windowRange(at, command.windowMs, command.windows);
    const { query, params } = topQuery({
      database,
      by: command.by,
      projects: command.projects,
      windowMs: command.windowMs,
      top: command.top,
      from,
      to,
    });
    try {
      const result = await client.query({
        query,
        query_params: params,
        format: 'JSONEachRow',
        abort_signal: signal,
      });
      const rows = await result.json<TopRow>();
      return {
        windows: toWindows(rows, { now: at, windowMs: command.windowMs, windows: command.windows }),
      };
    } catch (error) {
      return { windows: undefined, error: messageOf(error) };
    }
  }

  // One lag read at a time. The first frame waits for it; later frames wait at most
  // a second and otherwise show the last status, so a slow or unreachable Kafka
  // (seconds per failed connect) neither slows the refresh nor delays Ctrl-C.
  let lastLag: LagStatus | undefined;
  let lagRead: Promise<LagStatus> | undefined;
  async function currentLag(): Promise<LagStatus> {
    lagRead ??= options.readLag().then((status) => {
      lastLag = status;
      lagRead = undefined;
      return status;
    });
    if (lastLag === undefined) return lagRead;
    const previous = lastLag;
    const patience = sleep(Math.min(1000, command.intervalMs), previous, { signal }).catch(
      () => previous,
    );
    return Promise.race([lagRead, patience]);
  }

  async function frame(): Promise<TopFrame> {
    const at = now();
    const [windows, lag] = await Promise.all([readWindows(at), currentLag()]);
    return {
      now: at,
      windowMs: command.windowMs,
      by: command.by,
      projects: command.projects,
      ...windows,
      lag,
    };
  }

  const first = await frame();
  if (signal.aborted) return 0;
  if (!first.windows) {
    throw warehouseError(
      `query ${database}.events at ${options.where}`,
      first.error ?? 'no answer',
    );
  }

  if (command.once) {
    options.write(`${formatTopFrame(first).join('\n')}\n`);
    if (first.lag.kind === 'error') {
      options.err(`gosight: consumer lag unavailable: ${first.lag.message}`);
      return 1;
    }
    return 0;
  }

  if (options.tty) options.write(`${HIDE_CURSOR}${CLEAR_SCREEN}`);
  try {
    let current: TopFrame = first;
    let drawn = 0;
    for (;;) {
      const lines = formatTopFrame(current);
      if (options.tty) options.write(inPlace(lines, options.size?.()));
      else options.write(`${drawn > 0 ? '\n' : ''}${lines.join('\n')}\n`);
      drawn += 1;
      const wait = Math.max(0, command.intervalMs - (now() - current.now));
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return 0; // Ctrl-C while waiting
      }
      current = await frame();
      if (signal.aborted) return 0;
    }
  } finally {
    if (options.tty) options.write(SHOW_CURSOR);
  }
}
