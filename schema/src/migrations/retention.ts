import type { ClickHouseClient } from '@clickhouse/client';

/** Which column ages each table's rows out. */
const TTL_COLUMNS: Record<string, string> = {
  events: 'client_ts',
  sessions: 'ended_at',
  events_quarantine: 'received_at',
  page_stats_1m: 'minute',
  custom_stats_1m: 'minute',
  late_events_1m: 'minute',
};

/**
 * Sets each table's TTL to `days`, or removes it when `days` is undefined
 * (retention is off by default). Not a migration: it follows configuration,
 * so it is re-applied on every run and changes only what differs.
 */
export async function applyRetention(
  client: ClickHouseClient,
  database: string,
  days: number | undefined,
  log: (line: string) => void,
): Promise<void> {
  for (const [table, column] of Object.entries(TTL_COLUMNS)) {
    const current = await currentTtl(client, database, table);
    const hasTtl = current !== '';
    if (days === undefined) {
      if (!hasTtl) continue;
      await client.command({ query: `ALTER TABLE ${database}.${table} REMOVE TTL` });
      log(`migrate: retention off for ${table}`);
      continue;
    }
    const wanted = Math.floor(days);
    if (current.includes(`toIntervalDay(${wanted})`)) continue;
    const ttl = `toDateTime(${column}) + INTERVAL ${wanted} DAY`;
    await client.command({ query: `ALTER TABLE ${database}.${table} MODIFY TTL ${ttl}` });
    log(`migrate: ${table} keeps rows ${wanted} days`);
  }
}

/** The table's TTL clause as ClickHouse normalised it, '' when none. */
async function currentTtl(client: ClickHouseClient, database: string, table: string) {
  const result = await client.query({
    query:
      'SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}',
    query_params: { db: database, table },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ engine_full: string }>();
  const match = / TTL (.*?)(?: SETTINGS |$)/.exec(rows[0]?.engine_full ?? '');
  return match?.[1] ?? '';
}
