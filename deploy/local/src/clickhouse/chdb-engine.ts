/**
 * The ClickHouse engine (chdb) on one data directory, shared by concurrent HTTP requests.
 *
 * Concurrency, as measured with chdb 3.4 / engine 26.7: statements on ONE connection run one
 * after another, while several connections to the same directory run in parallel. So the engine
 * keeps a small pool of connections and gives each statement one of them exclusively.
 * Parameter bindings are the exception: chdb sets and clears them around each call in state that
 * is not isolated per connection, and two bound statements at once read each other's values or
 * crash the process (chdb's index.js says the same and serialises them). Bound statements
 * therefore also hold one process-wide lock.
 *
 * Analysts never hold up ingestion: the read-only user may use all connections but one, and the
 * writer is served first whenever a connection frees up. A statement whose client went away is
 * cancelled with KILL QUERY (on a connection of its own), found by a tag in its log_comment.
 */
import { drainPending } from 'chdb';
import { AsyncMutex } from './async-mutex';
import { loadChdbNative } from './chdb-native';
import { EngineConnection, type QueryContext } from './engine-connection';
import { randomUUID } from 'node:crypto';
import { ErrorCode, serverError } from './clickhouse-error';
import { isInsert } from './query-text';
import type { EngineCatalogue, Role } from './statement-policy';

/** One statement to run, with the request state it runs in. */
export interface ExecuteRequest extends QueryContext {
  sql: string;
  /** inline data for an INSERT (`sql` then ends with `FORMAT <name>`), passed on as bytes */
  insertData?: Buffer;
  /** output format when the statement has no FORMAT clause */
  format: string;
  params: Record<string, string>;
  /** who runs it; the reader never takes the last free connection */
  role: Role;
  /** aborted when the client goes away: the statement is dropped or cancelled */
  signal?: AbortSignal;
}

/** Output and counters of a statement, for the response body and X-ClickHouse-Summary. */
export interface ExecuteResult {
  body: Buffer;
  elapsedNs: number;
  readRows: number;
  readBytes: number;
  writtenRows: number;
  writtenBytes: number;
}

/** Options for {@link ChdbEngine.open}. */
export interface EngineOptions {
  /** parallel connections (default 4: inserts and a few analyst queries overlap on 2 cores) */
  connections?: number;
}

interface Waiter {
  role: Role;
  grant: (conn: EngineConnection) => void;
}

/** The engine on one data directory; see the file comment for how statements are scheduled. */
export class ChdbEngine {
  private readonly idle: EngineConnection[];
  private readonly waiting: Waiter[] = [];
  private readonly paramLock = new AsyncMutex();
  private readonly controlLock = new AsyncMutex();
  private busy = 0;
  private readersRunning = 0;
  private closed = false;

  private constructor(
    private readonly all: EngineConnection[],
    /** runs KILL QUERY; never handed out for statements */
    private readonly control: EngineConnection,
    /** ClickHouse version string of the engine, e.g. '26.7.2.1' */
    readonly version: string,
    /** the engine's server time zone, e.g. 'UTC' */
    readonly timezone: string,
    /** the table functions and engines this engine offers */
    readonly catalogue: EngineCatalogue,
  ) {
    this.idle = [...all];
  }

  /** Opens the data directory (creating it if needed) and reads the engine's version. */
  static async open(dataDir: string, opts: EngineOptions = {}): Promise<ChdbEngine> {
    const native = loadChdbNative();
    const count = Math.max(2, opts.connections ?? 4);
    const conns = Array.from({ length: count }, () => new EngineConnection(dataDir, native));
    const control = new EngineConnection(dataDir, native);
    const text = async (sql: string): Promise<string> =>
      Buffer.from((await control.query(sql, 'TabSeparated', {})).bytes)
        .toString('utf8')
        .trim();
    const [version = 'unknown', timezone = 'UTC'] = (
      await text('SELECT version(), timezone()')
    ).split('\t');
    const names = async (table: string): Promise<string[]> =>
      (await text(`SELECT name FROM system.${table}`)).split('\n').filter((n) => n !== '');
    const catalogue = {
      tableFunctions: await names('table_functions'),
      tableEngines: await names('table_engines'),
      databaseEngines: await names('database_engines'),
    };
    return new ChdbEngine(conns, control, version, timezone, catalogue);
  }

  /** Runs one statement on a free connection and returns its output and counters. */
  execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const onConnection = async (): Promise<ExecuteResult> => {
      const conn = await this.acquire(req.role, req.signal);
      try {
        return await this.runCancellable(conn, req);
      } catch (err) {
        await conn.settle();
        throw err;
      } finally {
        this.release(conn, req.role);
      }
    };
    // Take the parameter lock before a connection, so bound statements queued behind it do not
    // hold connections that unbound statements could use meanwhile.
    return Object.keys(req.params).length > 0 ? this.paramLock.run(onConnection) : onConnection();
  }

  /** Waits for running statements, closes every connection and lets chdb release the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.busy > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 10));
    await this.controlLock.run(() => Promise.resolve()); // a KILL in flight finishes first
    for (const conn of this.all) conn.close();
    this.control.close();
    await drainPending();
  }

  /** Runs `req`, tagged so that KILL QUERY can find it when its client goes away. */
  private async runCancellable(
    conn: EngineConnection,
    req: ExecuteRequest,
  ): Promise<ExecuteResult> {
    const signal = req.signal;
    if (signal === undefined || req.insertData !== undefined) return this.run(conn, req);
    if (signal.aborted) throw cancelled();
    const tag = `gosight-${randomUUID()}`;
    const settings = new Map(req.settings).set('log_comment', tag);
    const onAbort = (): void => {
      void this.kill(tag);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.run(conn, { ...req, settings });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Asks the engine to cancel the statement tagged `tag` (it ends with QUERY_WAS_CANCELLED). */
  private kill(tag: string): Promise<void> {
    return this.controlLock.run(async () => {
      if (this.closed && this.busy === 0) return;
      try {
        await this.control.query(
          `KILL QUERY WHERE Settings['log_comment'] = '${tag}' ASYNC`,
          'TabSeparated',
          {},
        );
      } catch {
        // The statement may have finished meanwhile; nothing else to do.
      }
    });
  }

  private async run(conn: EngineConnection, req: ExecuteRequest): Promise<ExecuteResult> {
    await conn.enter(req);
    const hasParams = Object.keys(req.params).length > 0;
    if (req.insertData !== undefined && !hasParams) {
      const r = await conn.insert(req.sql, req.insertData);
      return counters(
        Buffer.alloc(0),
        r.elapsed,
        r.rowsWritten,
        r.bytesWritten,
        r.rowsWritten,
        r.bytesWritten,
      );
    }
    const sql =
      req.insertData === undefined ? req.sql : `${req.sql}\n${req.insertData.toString('utf8')}`;
    const r = await conn.query(sql, req.format, req.params);
    const body = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    // For an INSERT the engine's "rows read" are the rows it parsed and wrote.
    const wrote = isInsert(sql);
    return counters(
      body,
      r.elapsed,
      r.rowsRead,
      r.bytesRead,
      wrote ? r.rowsRead : 0,
      wrote ? r.bytesRead : 0,
    );
  }

  /** True when `role` may take a free connection now: readers leave the last one to the writer. */
  private mayTake(role: Role): boolean {
    if (this.idle.length === 0) return false;
    return role === 'writer' || this.readersRunning < this.all.length - 1;
  }

  private take(role: Role): EngineConnection {
    if (role === 'reader') this.readersRunning += 1;
    return this.idle.pop() as EngineConnection;
  }

  private acquire(role: Role, signal: AbortSignal | undefined): Promise<EngineConnection> {
    if (this.closed) return Promise.reject(new Error('ClickHouse engine is closed'));
    if (signal?.aborted === true) return Promise.reject(cancelled());
    this.busy += 1;
    const queuedAhead = this.waiting.some((w) => role === 'reader' || w.role === 'writer');
    if (this.mayTake(role) && !queuedAhead) return Promise.resolve(this.take(role));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(waiter);
        if (at === -1) return;
        this.waiting.splice(at, 1);
        this.busy -= 1;
        reject(cancelled());
      };
      const waiter: Waiter = {
        role,
        grant: (conn) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(conn);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Writers go ahead of every waiting reader.
      const firstReader = this.waiting.findIndex((w) => w.role === 'reader');
      if (role === 'writer' && firstReader !== -1) this.waiting.splice(firstReader, 0, waiter);
      else this.waiting.push(waiter);
    });
  }

  private release(conn: EngineConnection, role: Role): void {
    this.busy -= 1;
    if (role === 'reader') this.readersRunning -= 1;
    this.idle.push(conn);
    const at = this.waiting.findIndex((w) => this.mayTake(w.role));
    const next = at === -1 ? undefined : this.waiting.splice(at, 1)[0];
    if (next !== undefined) next.grant(this.take(next.role));
  }
}

function cancelled(): Error {
  return serverError(ErrorCode.QUERY_WAS_CANCELLED, 'Query was cancelled: the client went away');
}

function counters(
  body: Buffer,
  elapsedSeconds: number,
  readRows: number,
  readBytes: number,
  writtenRows: number,
  writtenBytes: number,
): ExecuteResult {
  return {
    body,
    elapsedNs: Math.round(elapsedSeconds * 1e9),
    readRows,
    readBytes,
    writtenRows,
    writtenBytes,
  };
}
