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
 */
import { drainPending } from 'chdb';
import { AsyncMutex } from './async-mutex';
import { loadChdbNative } from './chdb-native';
import { EngineConnection, type QueryContext } from './engine-connection';
import { isInsert } from './query-text';

/** One statement to run, with the request state it runs in. */
export interface ExecuteRequest extends QueryContext {
  sql: string;
  /** inline data for an INSERT (`sql` then ends with `FORMAT <name>`), passed on as bytes */
  insertData?: Buffer;
  /** output format when the statement has no FORMAT clause */
  format: string;
  params: Record<string, string>;
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
  /** parallel connections (default 3: enough for inserts and queries to overlap on 2 cores) */
  connections?: number;
}

/** The engine on one data directory; see the file comment for how statements are scheduled. */
export class ChdbEngine {
  private readonly idle: EngineConnection[];
  private readonly waiting: Array<(conn: EngineConnection) => void> = [];
  private readonly paramLock = new AsyncMutex();
  private busy = 0;
  private closed = false;

  private constructor(
    private readonly all: EngineConnection[],
    /** ClickHouse version string of the engine, e.g. '26.7.2.1' */
    readonly version: string,
    /** the engine's server time zone, e.g. 'UTC' */
    readonly timezone: string,
  ) {
    this.idle = [...all];
  }

  /** Opens the data directory (creating it if needed) and reads the engine's version. */
  static async open(dataDir: string, opts: EngineOptions = {}): Promise<ChdbEngine> {
    const native = loadChdbNative();
    const count = Math.max(1, opts.connections ?? 3);
    const conns = Array.from({ length: count }, () => new EngineConnection(dataDir, native));
    const first = conns[0] as EngineConnection;
    const info = await first.query('SELECT version(), timezone()', 'TabSeparated', {});
    const [version = 'unknown', timezone = 'UTC'] = Buffer.from(info.bytes)
      .toString('utf8')
      .trim()
      .split('\t');
    return new ChdbEngine(conns, version, timezone);
  }

  /** Runs one statement on a free connection and returns its output and counters. */
  execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const onConnection = async (): Promise<ExecuteResult> => {
      const conn = await this.acquire();
      try {
        return await this.run(conn, req);
      } finally {
        this.release(conn);
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
    for (const conn of this.all) conn.close();
    await drainPending();
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

  private acquire(): Promise<EngineConnection> {
    if (this.closed) return Promise.reject(new Error('ClickHouse engine is closed'));
    this.busy += 1;
    const conn = this.idle.pop();
    if (conn !== undefined) return Promise.resolve(conn);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: EngineConnection): void {
    this.busy -= 1;
    const next = this.waiting.shift();
    if (next !== undefined) next(conn);
    else this.idle.push(conn);
  }
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
