/**
 * ClickHouse credentials for the benchmarks: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD when set,
 * else the writer of the local endpoint (`npm run stack:up`), whose password it generated.
 */
import { localClickHouseWriter } from '@gosight/local';

/** Credentials that may create the benchmarks' databases and write to them. */
export function benchClickHouseAuth(): { username: string; password: string } {
  const { CLICKHOUSE_USER, CLICKHOUSE_PASSWORD } = process.env;
  if (CLICKHOUSE_USER !== undefined) {
    return { username: CLICKHOUSE_USER, password: CLICKHOUSE_PASSWORD ?? '' };
  }
  return localClickHouseWriter() ?? { username: 'default', password: '' };
}
