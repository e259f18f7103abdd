/**
 * The endpoint as `@clickhouse/client` sees it: an in-process server on a free port and a temp
 * data directory (chdb binds one directory per process, so this file uses exactly one).
 */
import { createClient, ClickHouseError, type ClickHouseClient } from '@clickhouse/client';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseHttpServer, type ClickHouseHttpServer } from './http-server';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-client-'));
const db = `t_${Math.random().toString(36).slice(2, 10)}`;
let server: ClickHouseHttpServer;
let client: ClickHouseClient;

beforeAll(async () => {
  server = createClickHouseHttpServer({ dataDir, port: 0 });
  await server.listen();
  client = createClient({ url: server.url, ...server.writer });
  await client.command({ query: `CREATE DATABASE ${db}` });
  await client.command({
    query: `CREATE TABLE ${db}.events (id UInt32, name String, ts DateTime64(3), tags Array(String))
            ENGINE = MergeTree ORDER BY id`,
  });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function rows<T>(query: string, query_params?: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({
    query,
    format: 'JSONEachRow',
    ...(query_params ? { query_params } : {}),
  });
  return rs.json<T>();
}

describe('ClickHouse HTTP endpoint with @clickhouse/client', () => {
  it('answers ping', async () => {
    expect(await client.ping()).toEqual({ success: true });
  });

  it('inserts JSONEachRow objects and reads them back, with the insert summary', async () => {
    const res = await client.insert({
      table: `${db}.events`,
      values: [
        { id: 1, name: 'alpha', ts: '2024-05-01 10:00:00.123', tags: ['a', 'b'] },
        { id: 2, name: "it's", ts: '2024-05-01 10:00:01.000', tags: [] },
      ],
      format: 'JSONEachRow',
    });
    expect(res.summary?.written_rows).toBe('2');
    expect(await rows(`SELECT id, name, tags FROM ${db}.events ORDER BY id`)).toEqual([
      { id: 1, name: 'alpha', tags: ['a', 'b'] },
      { id: 2, name: "it's", tags: [] },
    ]);
  });

  it('accepts gzip-compressed inserts and gzip-compressed responses', async () => {
    const gz = createClient({
      url: server.url,
      ...server.writer,
      compression: { request: true, response: true },
    });
    try {
      const values = Array.from({ length: 1000 }, (_, i) => ({
        id: 1000 + i,
        name: `n${i}`,
        ts: 0,
        tags: ['x'],
      }));
      await gz.insert({ table: `${db}.events`, values, format: 'JSONEachRow' });
      const rs = await gz.query({
        query: `SELECT count() AS c, sum(id) AS s FROM ${db}.events WHERE id >= 1000`,
        format: 'JSONEachRow',
      });
      expect(rs.response_headers['content-encoding']).toBe('gzip');
      expect(await rs.json()).toEqual([{ c: 1000, s: 1000 * 1000 + (999 * 1000) / 2 }]);
    } finally {
      await gz.close();
    }
  });

  it('binds typed query parameters server-side', async () => {
    const [row] = await rows<Record<string, unknown>>(
      `SELECT {id:UInt32} AS id, {s:String} AS s, {ts:DateTime64(3)} AS ts, {arr:Array(String)} AS arr,
              {u:UUID} AS u, {n:Nullable(String)} AS n`,
      {
        id: 42,
        s: "tab\there, quote ' and backslash \\",
        ts: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 123)),
        arr: ['x', "y'z", 'back\\slash'],
        u: '8b7e3d52-3c1b-4f5c-9f0e-1d2c3b4a5e6f',
        n: null,
      },
    );
    expect(row).toEqual({
      id: 42,
      s: "tab\there, quote ' and backslash \\",
      ts: '2024-05-01 10:00:00.123',
      arr: ['x', "y'z", 'back\\slash'],
      u: '8b7e3d52-3c1b-4f5c-9f0e-1d2c3b4a5e6f',
      n: null,
    });
    expect(await rows(`SELECT name FROM ${db}.events WHERE id = {id:UInt32}`, { id: 1 })).toEqual([
      { name: 'alpha' },
    ]);
  });

  it('sends long parameters as multipart when the client does', async () => {
    const multi = createClient({ url: server.url, use_multipart_params: true });
    try {
      const long = 'x'.repeat(20_000);
      const rs = await multi.query({
        query: 'SELECT length({s:String}) AS n',
        format: 'JSONEachRow',
        query_params: { s: long },
      });
      expect(await rs.json()).toEqual([{ n: 20000 }]);
    } finally {
      await multi.close();
    }
  });

  it('returns JSON with meta and the JSON content type', async () => {
    const rs = await client.query({ query: 'SELECT 1 AS one', format: 'JSON' });
    expect(rs.response_headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(rs.response_headers['x-clickhouse-format']).toBe('JSON');
    const body = await rs.json<{ one: number }>();
    expect(body.data).toEqual([{ one: 1 }]);
    expect(body.meta).toEqual([{ name: 'one', type: 'UInt8' }]);
  });

  it('applies URL settings to that query only', async () => {
    // ClickHouse 26.x leaves 64-bit integers unquoted in JSON by default.
    const quoted = await client.query({
      query: 'SELECT toUInt64(7) AS v',
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
    });
    expect(await quoted.json()).toEqual([{ v: '7' }]);
    // every pooled connection is back at the default afterwards
    const after = await Promise.all([1, 2, 3, 4].map(() => rows('SELECT toUInt64(7) AS v')));
    expect(after).toEqual([1, 2, 3, 4].map(() => [{ v: 7 }]));
    const bestEffort = await client.query({
      query:
        "SELECT parseDateTimeBestEffort('2024-05-01T10:00:00Z') AS t, getSetting('max_execution_time') AS m",
      format: 'JSONEachRow',
      clickhouse_settings: {
        max_execution_time: 17,
        wait_end_of_query: 1,
        send_progress_in_http_headers: 1,
      },
    });
    expect(await bestEffort.json()).toEqual([{ t: '2024-05-01 10:00:00', m: 17 }]);
  });

  it('maps engine errors to ClickHouseError with code and type', async () => {
    const syntax = await client.query({ query: 'SELEC 1' }).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(ClickHouseError);
    expect(syntax).toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });
    const unknown = await client
      .query({ query: `SELECT * FROM ${db}.nope` })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' });
    const readonly = await client
      .command({
        query: `INSERT INTO ${db}.events (id) VALUES (1)`,
        clickhouse_settings: { readonly: '1' },
      })
      .catch((e: unknown) => e);
    expect(readonly).toMatchObject({ code: '164', type: 'READONLY' });
    // the readonly connection is not reused in that state
    await client.command({ query: `INSERT INTO ${db}.events (id) VALUES (3)` });
  });

  it('runs 20 concurrent inserts and selects correctly', async () => {
    await client.command({
      query: `CREATE TABLE ${db}.conc (k UInt32, v UInt32) ENGINE = MergeTree ORDER BY k`,
    });
    const work = Array.from({ length: 20 }, async (_, k) => {
      const values = Array.from({ length: 100 }, (_, v) => ({ k, v }));
      await client.insert({ table: `${db}.conc`, values, format: 'JSONEachRow' });
      const [row] = await rows<{ c: number }>(
        `SELECT count() AS c FROM ${db}.conc WHERE k = {k:UInt32}`,
        { k },
      );
      return row?.c;
    });
    expect(await Promise.all(work)).toEqual(Array.from({ length: 20 }, () => 100));
    expect(await rows(`SELECT count() AS c FROM ${db}.conc`)).toEqual([{ c: 2000 }]);
  });

  it('keeps data, merges, FINAL, materialized views and TTL across a restart', async () => {
    await client.command({
      query: `CREATE TABLE ${db}.sessions (id String, v UInt32, day Date)
              ENGINE = ReplacingMergeTree(v) PARTITION BY toYYYYMM(day) ORDER BY id TTL day + INTERVAL 10 YEAR`,
    });
    await client.command({
      query: `CREATE TABLE ${db}.agg (id String, n AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY id`,
    });
    await client.command({
      query: `CREATE MATERIALIZED VIEW ${db}.agg_mv TO ${db}.agg AS SELECT id, countState() AS n FROM ${db}.sessions GROUP BY id`,
    });
    for (const v of [1, 2, 3]) {
      await client.insert({
        table: `${db}.sessions`,
        values: [{ id: 's1', v, day: '2024-05-01' }],
        format: 'JSONEachRow',
      });
    }
    await client.command({ query: `OPTIMIZE TABLE ${db}.sessions FINAL` });

    await client.close();
    await server.close();
    server = createClickHouseHttpServer({ dataDir, port: 0 });
    await server.listen();
    client = createClient({ url: server.url, ...server.writer });

    expect(await rows(`SELECT id, v FROM ${db}.sessions FINAL`)).toEqual([{ id: 's1', v: 3 }]);
    expect(await rows(`SELECT count() AS c FROM ${db}.sessions`)).toEqual([{ c: 1 }]);
    expect(await rows(`SELECT id, countMerge(n) AS n FROM ${db}.agg GROUP BY id`)).toEqual([
      { id: 's1', n: 3 },
    ]);
    expect(await rows(`SELECT count() AS c FROM ${db}.events WHERE id IN (1, 2)`)).toEqual([
      { c: 2 },
    ]);
    expect(
      await rows(
        `SELECT partition FROM system.parts WHERE database = '${db}' AND table = 'sessions' AND active`,
      ),
    ).toEqual([{ partition: '202405' }]);
  });
});
