/**
 * The warehouse port: @clickhouse/client against CLICKHOUSE_URL (the real
 * server, or the ClickHouse engine served locally — one code path).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { warehouseError } from './errors';

/** Inserts into the processor's three tables; each call is one INSERT. */
export interface Warehouse {
  /** `dedupToken` makes a retry of the same rows a no-op (insert_deduplication_token). */
  insert(table: WarehouseTable, rows: readonly object[], dedupToken: string): Promise<void>;
  /** Runs a query and returns its rows. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  readonly database: string;
}

export type WarehouseTable = 'events' | 'sessions' | 'events_quarantine';

/** Creates the warehouse on an existing client; the caller owns (and closes) the client. */
export function createWarehouse(client: ClickHouseClient, database: string): Warehouse {
  return {
    database,
    async insert(table, rows, dedupToken) {
      if (rows.length === 0) return;
      try {
        await client.insert({
          table: `${database}.${table}`,
          values: rows as object[],
          format: 'JSONEachRow',
          clickhouse_settings: {
            insert_deduplicate: 1,
            insert_deduplication_token: dedupToken,
            async_insert: 0,
          },
        });
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
