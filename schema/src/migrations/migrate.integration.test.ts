import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
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
      '0005_custom_stats_1m.sql',
      '0006_late_events_1m.sql',
      '0007_user_profiles.sql',
    ]);
    expect(await tables(database)).toEqual([
      'custom_stats_1m',
      'custom_stats_1m_mv',
      'custom_stats_1m_view',
      'events',
      'events_quarantine',
      'late_events_1m',
      'late_events_1m_mv',
      'page_stats_1m',
      'page_stats_1m_mv',
      'schema_migrations',
      'sessions',
      'user_profiles',
    ]);
    const second = await runMigrations({ client, database });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(7);
    const count = await client.query({
      query: `SELECT toString(count()) AS n FROM ${database}.schema_migrations`,
      format: 'JSONEachRow',
    });
    expect(await count.json()).toEqual([{ n: '7' }]);
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

  it('sums custom event values per minute exactly, with a duplicate delivery', async () => {
    const database = newDatabase();
    await runMigrations({ client, database });
    const base = {
      project_id: 'pk',
      type: 'custom',
      name: 'purchase',
      client_ts: '2026-11-22 12:00:10.000',
      sent_at: '2026-11-22 12:00:11.000',
      received_at: '2026-11-22 12:00:11.000',
      anon_id: 'a1',
      url: 'https://x.io/checkout',
      path: '/checkout',
      payload: '{}',
    };
    const purchases = [
      {
        ...base,
        event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e11',
        session_id: 's1',
        ts: '2026-11-22 12:00:10.000',
        value: 49.9,
      },
      {
        ...base,
        event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e12',
        session_id: 's2',
        ts: '2026-11-22 12:00:20.000',
        value: 10,
      },
      {
        ...base,
        event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e13',
        session_id: 's2',
        ts: '2026-11-22 12:01:05.000',
        value: 5.5,
      },
      // A custom event without a value counts, but adds no amount.
      {
        ...base,
        event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e14',
        session_id: 's3',
        ts: '2026-11-22 12:00:30.000',
        value: null,
      },
    ];
    await client.insert({ table: `${database}.events`, values: purchases, format: 'JSONEachRow' });
    // The first purchase again, as after a redelivery: it must add neither a count nor 49.9.
    await client.insert({
      table: `${database}.events`,
      values: [{ ...purchases[0], received_at: '2026-11-22 12:00:19.000' }],
      format: 'JSONEachRow',
    });
    const rows = await client.query({
      query: `SELECT toString(minute) AS minute, toString(events) AS events, toString(valued) AS valued,
                     round(sum, 2) AS sum, round(avg, 2) AS avg, min, max, toString(sessions) AS sessions
              FROM ${database}.custom_stats_1m_view WHERE name = 'purchase' ORDER BY minute`,
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([
      {
        minute: '2026-11-22 12:00:00',
        events: '3',
        valued: '2',
        sum: 59.9,
        avg: 29.95,
        min: 10,
        max: 49.9,
        sessions: '3',
      },
      {
        minute: '2026-11-22 12:01:00',
        events: '1',
        valued: '1',
        sum: 5.5,
        avg: 5.5,
        min: 5.5,
        max: 5.5,
        sessions: '1',
      },
    ]);
  });

  it('counts per minute the events that arrived more than 2 minutes after their time', async () => {
    const database = newDatabase();
    await runMigrations({ client, database });
    const event = (id: string, ts: string, receivedAt: string) => ({
      event_id: `0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e${id}`,
      project_id: 'pk',
      type: 'page_view',
      ts,
      client_ts: ts,
      sent_at: receivedAt,
      received_at: receivedAt,
      session_id: 's1',
      anon_id: 'a1',
      url: 'https://x.io/a',
      path: '/a',
      payload: '{}',
    });
    const values = [
      event('21', '2026-11-22 12:00:00.000', '2026-11-22 12:00:01.000'),
      event('22', '2026-11-22 12:00:30.000', '2026-11-22 12:02:29.000'), // 1 min 59 s: on time
      event('23', '2026-11-22 12:00:40.000', '2026-11-22 12:07:00.000'), // 6 min 20 s: late
    ];
    await client.insert({ table: `${database}.events`, values, format: 'JSONEachRow' });
    await client.insert({
      table: `${database}.events`,
      values: [values[2]],
      format: 'JSONEachRow',
    });
    const rows = await client.query({
      query: `SELECT toString(minute) AS minute, toString(uniqExactMerge(events)) AS events,
                     toString(uniqExactMerge(late)) AS late
              FROM ${database}.late_events_1m GROUP BY minute ORDER BY minute`,
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([{ minute: '2026-11-22 12:00:00', events: '3', late: '1' }]);
  });

  it('user_profiles keeps the newest update per user and source; events default to segment unknown', async () => {
    const database = newDatabase();
    await runMigrations({ client, database });
    const profile = (source: string, segment: string, updatedAt: string) => ({
      project_id: 'pk',
      user_id: 'u1',
      source,
      segment,
      traits: '{}',
      updated_at: updatedAt,
    });
    await client.insert({
      table: `${database}.user_profiles`,
      values: [
        profile('server', 'free', '2026-11-22 12:00:00.000'),
        profile('sdk', '', '2026-11-22 12:00:05.000'),
      ],
      format: 'JSONEachRow',
    });
    // A newer update replaces the row; an older one arriving afterwards does not.
    for (const [segment, at] of [
      ['premium', '2026-11-22 13:00:00.000'],
      ['stale', '2026-11-22 11:00:00.000'],
    ] as const) {
      await client.insert({
        table: `${database}.user_profiles`,
        values: [profile('server', segment, at)],
        format: 'JSONEachRow',
      });
    }
    await client.insert({
      table: `${database}.events`,
      values: [
        { event_id: '0b5d1c6e-6f1a-4c3e-9a57-1d2b3c4d5e31', project_id: 'pk', type: 'click' },
      ],
      format: 'JSONEachRow',
    });
    const read = async (query: string) =>
      (await client.query({ query, format: 'JSONEachRow' })).json();
    expect(
      await read(`SELECT source, segment FROM ${database}.user_profiles FINAL ORDER BY source`),
    ).toEqual([
      { source: 'sdk', segment: '' },
      { source: 'server', segment: 'premium' },
    ]);
    expect(await read(`SELECT segment FROM ${database}.events`)).toEqual([{ segment: 'unknown' }]);
  });
});
