/**
 * The warehouse port: @clickhouse/client against CLICKHOUSE_URL (the real
 * server, or the ClickHouse engine served locally — one code path).
 */
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { warehouseError } from '../errors';

/** Inserts into the processor's three tables; each call is one INSERT. */
export interface Warehouse {
  /** `dedupToken` makes a retry of the same rows a no-op (insert_deduplication_token). */
  insert(table: WarehouseTable, rows: readonly object[], dedupToken: string): Promise<void>;
  /**
   * Inserts rows already written as a JSONCompactEachRow body (values in
   * `columns` order, one row a line), as one INSERT; same dedup promise as `insert`.
   */
  insertBody(
    table: WarehouseTable,
    columns: readonly string[],
    body: Buffer,
    dedupToken: string,
  ): Promise<void>;
  /** Runs a query and returns its rows. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  readonly database: string;
}

export type WarehouseTable = 'events' | 'sessions' | 'events_quarantine' | 'user_profiles';

/** Creates the warehouse on an existing client; the caller owns (and closes) the client. */
export function createWarehouse(client: ClickHouseClient, database: string): Warehouse {
  const settings = (dedupToken: string) => ({
    insert_deduplicate: 1 as const,
    insert_deduplication_token: dedupToken,
    async_insert: 0 as const,
  });
  return {
    database,
    async insert(table, rows, dedupToken) {
      if (rows.length === 0) return;
      try {
        await client.insert({
          table: `${database}.${table}`,
          values: rows as object[],
          format: 'JSONEachRow',
          clickhouse_settings: settings(dedupToken),
        });
      } catch (error) {
        throw warehouseError(`insert into ${table}`, error);
      }
    },
    async insertBody(table, columns, body, dedupToken) {
      if (body.length === 0) return;
      // One body in one buffer: no per-row objects, no per-row encoding in the client.
      try {
        // exec, not insert: the client only takes JSON formats as objects (object-mode streams).
        const result = await client.exec({
          query: `INSERT INTO ${database}.${table} (${columns.join(', ')}) FORMAT JSONCompactEachRow`,
          values: Readable.from([body]),
          clickhouse_settings: settings(dedupToken),
        });
        result.stream.resume();
        await finished(result.stream);
      } catch (error) {
        throw warehouseError(`insert into ${table}`, error);
      }
    },
    async query<T>(sql: string, params?: Record<string, unknown>) {
      try {
        const result = await client.query({
          query: sql,
          format: 'JSONEachRow',
          ...(params ? { query_params: params } : {}),
        });
        return await result.json<T>();
      } catch (error) {
        throw warehouseError('query', error);
      }
    },
  };
}
