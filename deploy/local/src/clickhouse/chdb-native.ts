/**
 * Typed access to chdb's native addon — the same object the `chdb` package wraps, loaded through
 * chdb's own loader so the platform binary is resolved exactly as chdb resolves it.
 *
 * Why not chdb's public `Session.queryBindAsync`: it formats every parameter value itself
 * (a string is TSV-escaped again), while HTTP `param_<name>` values already arrive in the
 * escaped text form ClickHouse parses. Passing them through `QueryAsyncConnection(conn, sql,
 * format, params)` verbatim gives the engine what a real server's HTTP handler would.
 * Connections themselves are still opened and closed with chdb's public `Session`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** What the native async query returns. */
export interface NativeQueryResult {
  bytes: Uint8Array;
  /** seconds */
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}

/** What the native raw insert returns. */
export interface NativeInsertResult {
  /** seconds */
  elapsed: number;
  rowsWritten: number;
  bytesWritten: number;
}

/** The subset of the addon this endpoint uses. */
export interface ChdbNative {
  QueryAsyncConnection(
    connection: unknown,
    sql: string,
    format: string,
    params?: Record<string, string>,
  ): Promise<NativeQueryResult>;
  /** Runs `prefix + "\n" + data` without turning `data` into a JS string. */
  InsertRawAsyncConnection(
    connection: unknown,
    prefix: string,
    data: Buffer,
    countLines: boolean,
  ): Promise<NativeInsertResult>;
}

let cached: ChdbNative | undefined;

/** The chdb native addon (loaded once per process). */
export function loadChdbNative(): ChdbNative {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const chdbDir = path.dirname(require.resolve('chdb/package.json'));
  const loader = require(path.join(chdbDir, 'dist', 'loader.js')) as { loadNative(): ChdbNative };
  cached = loader.loadNative();
  return cached;
}
