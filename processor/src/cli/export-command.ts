/**
 * `gosight export`: streams a time range of a table from ClickHouse, in
 * ClickHouse's own Parquet / JSONEachRow / CSVWithNames encoding, to a file.
 * The response is piped to disk chunk by chunk; the result is never held in memory.
 */
import { constants as fsConstants } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { access, link, rename, unlink } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { usageError } from '../errors';
import type { ExportFormat, ExportTable } from './cli-args';

/** Each table's time column, and whether reads need FINAL to see one row per key. */
const TABLES: Record<ExportTable, { timeColumn: string; final: boolean }> = {
  events: { timeColumn: 'ts', final: true },
  sessions: { timeColumn: 'started_at', final: true },
  // A plain MergeTree: nothing to deduplicate, and ClickHouse refuses FINAL on it.
  events_quarantine: { timeColumn: 'received_at', final: false },
};

const CLICKHOUSE_FORMAT: Record<ExportFormat, string> = {
  parquet: 'Parquet',
  ndjson: 'JSONEachRow',
  csv: 'CSVWithNames',
};

export interface ExportCommandOptions {
  client: ClickHouseClient;
  database: string;
  table: ExportTable;
  from: number;
  to: number;
  projects: string[];
  format: ExportFormat;
  out: string;
  force: boolean;
  /** Where progress lines go (stderr in the CLI). */
  err: (line: string) => void;
  progressEveryMs?: number;
}

/** The SELECT (with its FORMAT) and parameters an export runs. */
export function exportQuery(options: {
  database: string;
  table: ExportTable;
  projects: string[];
  select: string;
  format?: string;
}): string {
  const { timeColumn, final } = TABLES[options.table];
  const where = [
    `${timeColumn} >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`,
    `${timeColumn} < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
    ...(options.projects.length > 0 ? ['project_id IN {projects:Array(String)}'] : []),
  ];
  return [
    `SELECT ${options.select} FROM ${options.database}.${options.table}${final ? ' FINAL' : ''}`,
    `WHERE ${where.join(' AND ')}`,
    ...(options.format ? [`FORMAT ${options.format}`] : []),
  ].join('\n');
}

/**
 * Counts bytes and rows as they pass. Rows of JSONEachRow are its lines; rows
 * of CSV are line ends outside quoted fields (a quoted string may hold a
 * newline), less the header. Parquet rows cannot be seen in the stream.
 */
class Meter extends Transform {
  bytes = 0;
  private lines = 0;
  private inQuotes = false;

  constructor(private readonly format: ExportFormat) {
    super();
  }

  get rows(): number | undefined {
    if (this.format === 'ndjson') return this.lines;
    if (this.format === 'csv') return Math.max(0, this.lines - 1);
    return undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.format === 'ndjson') {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines += 1;
    } else if (this.format === 'csv') {
      for (const byte of chunk) {
        if (byte === 34) this.inQuotes = !this.inQuotes;
        else if (byte === 10 && !this.inQuotes) this.lines += 1;
      }
    }
    done(null, chunk);
  }
}

const MiB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

async function exists(path: string): Promise<boolean> {
  return access(path, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Writes the export to `out` (via a temporary file, so a failed export leaves
 * no partial file) and reports progress at least every second; resolves with
 * the exit code. An existing `out` without `force` is a usage error (exit 2).
 */
export async function runExportCommand(options: ExportCommandOptions): Promise<number> {
  const { client, err, out } = options;
  if (!options.force && (await exists(out))) {
    throw usageError(`${out} already exists; pass --force to overwrite it`);
  }
  const params = {
    from: options.from,
    to: options.to,
    ...(options.projects.length > 0 ? { projects: options.projects } : {}),
  };
  const shape = { database: options.database, table: options.table, projects: options.projects };

  // Parquet's rows are not visible in the byte stream: count them up front.
  let expected: number | undefined;
  if (options.format === 'parquet') {
    const result = await client.query({
      query: exportQuery({ ...shape, select: 'count() AS rows' }),
      query_params: params,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ rows: number | string }>();
    expected = Number(row?.rows ?? 0);
  }

  const started = Date.now();
  const meter = new Meter(options.format);
  const line = (prefix: string) => {
    const rows = meter.rows ?? expected;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `export: ${prefix}${rows === undefined ? '' : `${rows} rows, `}${size(meter.bytes)} (${meter.bytes} bytes) written, ${seconds} s`;
  };
  err(
    `export: ${options.table} ${new Date(options.from).toISOString()} .. ${new Date(options.to).toISOString()}` +
      `${options.projects.length > 0 ? ` project ${options.projects.join(',')}` : ''} -> ${out} (${CLICKHOUSE_FORMAT[options.format]}` +
      `${expected === undefined ? '' : `, ${expected} rows`})`,
  );
  const ticker = setInterval(
    () => err(line(meter.bytes === 0 ? 'query running, no bytes yet: ' : '')),
    options.progressEveryMs ?? 1000,
  );

  const temporary = `${out}.partial-${process.pid}-${started}`;
  try {
    const { stream } = await client.exec({
      query: exportQuery({ ...shape, select: '*', format: CLICKHOUSE_FORMAT[options.format] }),
      query_params: params,
    });
    await pipeline(stream, meter, createWriteStream(temporary, { flags: 'wx' }));
    if (options.force) {
      await rename(temporary, out);
    } else {
      // link() fails with EEXIST instead of replacing a file that appeared meanwhile.
      await link(temporary, out).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST')
          throw usageError(`${out} already exists; pass --force to overwrite it`);
        throw error;
      });
      await unlink(temporary);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(ticker);
  }
  err(line('done, '));
  return 0;
}
