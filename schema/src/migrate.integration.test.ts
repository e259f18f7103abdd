import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../test/services';
import { MigrationChangedError, runMigrations } from './migrate';
import { MIGRATIONS_DIR } from './migration-files';

let client: ClickHouseClient;
const databases: string[] = [];
const newDatabase = () => {
  const name = `gosight_test_${uniqueSuffix()}`;
  databases.push(name);
  return name;
};

beforeAll(() => {
  client = createClient({ url: serviceEnv().clickhouseUrl, ...serviceEnv().clickhouseAuth });
});
afterAll(async () => {
  for (const db of databases) await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await client.close();
});

async function tables(database: string) {
  const result = await client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
    query_params: { db: database },
    format: 'JSONEachRow',
  });
  return (await result.json<{ name: string }>()).map((r) => r.name);
}

describe('migration runner on the ClickHouse engine', () => {
  it('applies every migration once; a second run does nothing', async () => {
    const database = newDatabase();
    const first = await runMigrations({ client, database });
    expect(first.applied).toEqual([
      '0001_events.sql',
      '0002_sessions.sql',
      '0003_events_quarantine.sql',
      '0004_page_stats_1m.sql',
    ]);
    expect(await tables(database)).toEqual([
      'events',
      'events_quarantine',
      'page_stats_1m',
      'page_stats_1m_mv',
      'schema_migrations',
      'sessions',
    ]);
    const second = await runMigrations({ client, database });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(4);
    const count = await client.query({
      query: `SELECT toString(count()) AS n FROM ${database}.schema_migrations`,
      format: 'JSONEachRow',
    });
    expect(await count.json()).toEqual([{ n: '4' }]);
  });

  it('refuses to run when an applied file changed, naming the file', async () => {
    const database = newDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'gosight-migrations-'));
    for (const name of await readdir(MIGRATIONS_DIR)) {
      await copyFile(join(MIGRATIONS_DIR, name), join(dir, name));
    }
    await runMigrations({ client, database, dir });
    const file = join(dir, '0002_sessions.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited\n`);
    const error = await runMigrations({ client, database, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChangedError);
    expect((error as Error).message).toContain('0002_sessions.sql');
  });

  it('sets retention from configuration and removes it again', async () => {
    const database = newDatabase();
    await runMigrations({ client, database, retentionDays: 30 });
    const ttl = async () => {
      const result = await client.query({
        query: `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = 'events'`,
        query_params: { db: database },
        format: 'JSONEachRow',
      });
      return (await result.json<{ engine_full: string }>())[0]?.engine_full ?? '';
    };
    expect(await ttl()).toMatch(/TTL toDateTime\(client_ts\) \+ toIntervalDay\(30\)/);
    await runMigrations({ client, database });
    expect(await ttl()).not.toMatch(/TTL/);
  });

  it('hides a second copy of an event from FINAL queries and page_stats_1m', async () => {
    const database = newDatabase();
    await runMigrations({ client, database });
    const row = {
      event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e01',
      project_id: 'pk',
      type: 'page_view',
      ts: '2026-11-22 12:00:00.000',
      client_ts: '2026-11-22 12:00:00.000',
      sent_at: '2026-11-22 12:00:01.000',
      received_at: '2026-11-22 12:00:01.000',
      session_id: 's1',
      anon_id: 'a1',
      url: 'https://x.io/a',
      path: '/a',
      payload: '{}',
    };
    // Two separate inserts, as after a processor crash and redelivery (the
    // retry arrives with another received_at, so the block is not identical).
    await client.insert({ table: `${database}.events`, values: [row], format: 'JSONEachRow' });
    await client.insert({
      table: `${database}.events`,
      values: [{ ...row, ts: '2026-11-22 12:00:00.004', received_at: '2026-11-22 12:00:09.000' }],
      format: 'JSONEachRow',
    });
    const q = async (query: string) =>
      (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, string>>();
    expect(await q(`SELECT toString(count()) AS n FROM ${database}.events FINAL`)).toEqual([
      { n: '1' },
    ]);
    expect(
      await q(
        `SELECT toString(minute) AS minute, toString(uniqExactMerge(page_views)) AS views FROM ${database}.page_stats_1m GROUP BY minute`,
      ),
    ).toEqual([{ minute: '2026-11-22 12:00:00', views: '1' }]);
  });
});
