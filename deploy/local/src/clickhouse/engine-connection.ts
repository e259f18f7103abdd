/**
 * One chdb connection to the data directory, plus the per-connection state ClickHouse keeps
 * between statements (current database, settings). The HTTP interface scopes both to a single
 * request, so before each query the connection is moved to the request's database and settings
 * and remembers where it is, so an unchanged state costs nothing.
 */
import { Session } from 'chdb';
import type { ChdbNative, NativeInsertResult, NativeQueryResult } from './chdb-native';
import { settingsTransition } from './query-settings';
import { leadingKeyword } from './query-text';

/** The per-request state a query must run in. */
export interface QueryContext {
  database: string;
  settings: ReadonlyMap<string, string>;
  readonly: 0 | 1 | 2;
}

// Load every table before the first query answers, so a query right after a restart sees them.
const CONNECTION_ARGS = ['--async_load_databases=0', '--async_load_system_database=0'];

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/** A chdb connection that runs one statement at a time in a request's database and settings. */
export class EngineConnection {
  private session: Session;
  private database = 'default';
  private settings: ReadonlyMap<string, string> = new Map();
  private readonlyLevel: 0 | 1 | 2 = 0;
  /** set when the connection's state can no longer be undone by SET (readonly) or is unknown */
  private stale = false;

  constructor(
    private readonly dataDir: string,
    private readonly native: ChdbNative,
  ) {
    this.session = new Session(dataDir, { connectionArgs: CONNECTION_ARGS });
  }

  /** Moves the connection into `ctx` (USE + SET), so the next statement runs as the request asked. */
  async enter(ctx: QueryContext): Promise<void> {
    // readonly forbids changing readonly itself: a connection at another level is replaced.
    if (this.stale || ctx.readonly !== this.readonlyLevel) this.reopen();
    if (ctx.database !== this.database) {
      await this.raw(`USE ${quoteIdentifier(ctx.database)}`);
      this.database = ctx.database;
    }
    const wanted = new Map(ctx.settings);
    // readonly goes last: once set, it stays for the connection's life (see above).
    if (ctx.readonly > 0 && this.readonlyLevel === 0) wanted.set('readonly', String(ctx.readonly));
    else wanted.delete('readonly');
    const set = settingsTransition(this.settings, wanted);
    if (set !== undefined) {
      try {
        await this.raw(set);
      } catch (err) {
        this.stale = true; // part of the SET may have applied
        throw err;
      }
    }
    wanted.delete('readonly');
    this.settings = wanted;
    this.readonlyLevel = ctx.readonly;
  }

  /** Runs one statement and returns its output in `format`, binding `params` server-side. */
  query(sql: string, format: string, params: Record<string, string>): Promise<NativeQueryResult> {
    // Over HTTP a SET or USE lasts for its own request only; a fresh connection forgets it.
    const keyword = leadingKeyword(sql);
    if (keyword === 'SET' || keyword === 'USE') this.stale = true;
    const hasParams = Object.keys(params).length > 0;
    return hasParams
      ? this.native.QueryAsyncConnection(this.session.connection, sql, format, params)
      : this.native.QueryAsyncConnection(this.session.connection, sql, format);
  }

  /** Runs `statement` with `data` as its inline data, handing the bytes to the engine as they are. */
  insert(statement: string, data: Buffer): Promise<NativeInsertResult> {
    return this.native.InsertRawAsyncConnection(this.session.connection, statement, data, false);
  }

  /**
   * After a failed statement: chdb keeps a statement that ended with an error (a timeout, a
   * KILL) in system.processes until its connection runs the next one, so run a trivial one.
   */
  async settle(): Promise<void> {
    try {
      await this.raw('SELECT 1');
    } catch {
      this.stale = true;
    }
  }

  /** Closes the native connection; only call when no statement is running on it. */
  close(): void {
    this.session.close();
  }

  private async raw(sql: string): Promise<void> {
    await this.native.QueryAsyncConnection(this.session.connection, sql, 'TabSeparated');
  }

  /** Replaces the connection with a fresh one at the same path (defaults, database `default`). */
  private reopen(): void {
    this.session.close();
    this.session = new Session(this.dataDir, { connectionArgs: CONNECTION_ARGS });
    this.database = 'default';
    this.settings = new Map();
    this.readonlyLevel = 0;
    this.stale = false;
  }
}
