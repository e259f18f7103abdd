/**
 * The endpoint as curl sees it (plain fetch): paths, GET/POST query placement, INSERT bodies,
 * formats, headers, readonly GET, gzip bodies, the body size limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseHttpServer, type ClickHouseHttpServer } from './http-server';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-http-'));
const db = `h_${Math.random().toString(36).slice(2, 10)}`;
let server: ClickHouseHttpServer;

beforeAll(async () => {
  server = createClickHouseHttpServer({ dataDir, port: 0 });
  await server.listen();
  await post('/', `CREATE DATABASE ${db}`);
  await post('/', `CREATE TABLE ${db}.t (a UInt32, b String) ENGINE = MergeTree ORDER BY a`);
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function q(params: Record<string, string>): string {
  return `/?${new URLSearchParams(params).toString()}`;
}

async function get(pathAndQuery: string): Promise<Response> {
  return fetch(server.url + pathAndQuery);
}

async function post(
  pathAndQuery: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Response> {
  // As the services do: the writer's credentials (the default user is read-only).
  const auth = {
    'X-ClickHouse-User': server.writer.username,
    'X-ClickHouse-Key': server.writer.password,
  };
  const res = await fetch(server.url + pathAndQuery, {
    method: 'POST',
    body,
    headers: { ...auth, ...headers },
  });
  return res;
}

describe('ClickHouse HTTP interface over plain HTTP', () => {
  it('answers health paths with "Ok." and unknown paths with 404', async () => {
    for (const p of ['/ping', '/', '/replicas_status']) {
      const res = await get(p);
      expect([p, res.status, await res.text()]).toEqual([p, 200, 'Ok.\n']);
    }
    expect((await get('/nowhere')).status).toBe(404);
  });

  it('runs GET /?query= and sends the server headers', async () => {
    const res = await get(q({ query: 'SELECT 1', query_id: 'my-query-id' }));
    expect(await res.text()).toBe('1\n');
    expect(res.headers.get('content-type')).toBe('text/tab-separated-values; charset=UTF-8');
    expect(res.headers.get('x-clickhouse-format')).toBe('TabSeparated');
    expect(res.headers.get('x-clickhouse-query-id')).toBe('my-query-id');
    // The header names the engine's own time zone, as a real server's does.
    const zone = await (await get(q({ query: 'SELECT timezone()' }))).text();
    expect(res.headers.get('x-clickhouse-timezone')).toBe(zone.trim());
    expect(res.headers.get('x-clickhouse-server-display-name')).toContain(server.version);
    const summary = JSON.parse(res.headers.get('x-clickhouse-summary') ?? '{}') as Record<
      string,
      string
    >;
    expect(summary).toMatchObject({ read_rows: '1', result_rows: '1', result_bytes: '2' });
  });

  it('takes the whole query from a POST body, and query param + body concatenated', async () => {
    expect(await (await post('/', 'SELECT 2 + 2')).text()).toBe('4\n');
    expect(await (await post(q({ query: 'SELECT' }), ' 40 + 2')).text()).toBe('42\n');
  });

  it('inserts body data after an INSERT query parameter, and inline after an INSERT in the body', async () => {
    let res = await post(
      q({ query: `INSERT INTO ${db}.t FORMAT TabSeparated` }),
      '1\tone\n2\ttwo\n',
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.headers.get('x-clickhouse-summary') ?? '{}')).toMatchObject({
      written_rows: '2',
    });
    res = await post(
      '/',
      `INSERT INTO ${db}.t (a, b) SETTINGS input_format_skip_unknown_fields = 1 FORMAT JSONEachRow\n` +
        '{"a":3,"b":"three","extra":true}\n{"a":4,"b":"four"}\n',
    );
    expect([res.status, await res.text()]).toEqual([200, '']);
    res = await post(q({ query: `INSERT INTO ${db}.t VALUES` }), "(5, 'five')");
    expect(res.status).toBe(200);
    const rows = await (await post('/', `SELECT a, b FROM ${db}.t ORDER BY a FORMAT CSV`)).text();
    expect(rows).toBe('1,"one"\n2,"two"\n3,"three"\n4,"four"\n5,"five"\n');
  });

  it('uses the FORMAT clause over default_format, and default_format over TabSeparated', async () => {
    let res = await get(q({ query: 'SELECT 1 AS x FORMAT JSONEachRow', default_format: 'CSV' }));
    expect([res.headers.get('x-clickhouse-format'), await res.text()]).toEqual([
      'JSONEachRow',
      '{"x":1}\n',
    ]);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=UTF-8');
    res = await get(q({ query: 'SELECT 1 AS x', default_format: 'JSONCompactEachRow' }));
    expect([res.headers.get('x-clickhouse-format'), await res.text()]).toEqual([
      'JSONCompactEachRow',
      '[1]\n',
    ]);
  });

  it('runs in the database parameter and binds param_ values', async () => {
    const res = await get(
      q({ query: 'SELECT currentDatabase(), {n:UInt8} + 1', database: db, param_n: '41' }),
    );
    expect(await res.text()).toBe(`${db}\t42\n`);
    expect(await (await get(q({ query: 'SELECT currentDatabase()' }))).text()).toBe('default\n');
  });

  it('refuses writes over GET as readonly, like ClickHouse', async () => {
    const res = await get(q({ query: `INSERT INTO ${db}.t VALUES (9, 'nine')` }));
    expect(res.status).toBe(500);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('164');
    const text = await res.text();
    expect(text).toMatch(/^Code: 164\. DB::Exception: .*\(READONLY\) \(version .+\)\n$/s);
    expect(text).toContain('method GET implies readonly');
  });

  it('answers errors with the ClickHouse status, code header and text body', async () => {
    let res = await post('/', 'SELEC 1');
    expect([res.status, res.headers.get('x-clickhouse-exception-code')]).toEqual([400, '62']);
    expect(await res.text()).toMatch(
      /^Code: 62\. DB::Exception: Syntax error.*\(SYNTAX_ERROR\) \(version /s,
    );
    res = await post('/', `SELECT * FROM ${db}.missing`);
    expect([res.status, res.headers.get('x-clickhouse-exception-code')]).toEqual([404, '60']);
    res = await post('/', '   ');
    expect([res.status, await res.text()]).toEqual([
      400,
      `Code: 62. DB::Exception: Empty query (SYNTAX_ERROR) (version ${server.version})\n`,
    ]);
  });

  it('reads gzip request bodies and compresses responses on request', async () => {
    const body = gzipSync(
      Buffer.from(`INSERT INTO ${db}.t FORMAT JSONEachRow\n{"a":100,"b":"gz"}\n`),
    );
    expect((await post('/', body, { 'Content-Encoding': 'gzip' })).status).toBe(200);
    const res = await fetch(
      server.url +
        q({ query: `SELECT b FROM ${db}.t WHERE a = 100`, enable_http_compression: '1' }),
      {
        headers: { 'Accept-Encoding': 'gzip' },
      },
    );
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe('gz\n'); // fetch decodes it
  });

  it('refuses bodies over the size limit with QUERY_IS_TOO_LARGE', async () => {
    const small = createClickHouseHttpServer({ dataDir, port: 0, maxBodyBytes: 1024 });
    await small.listen();
    try {
      const res = await fetch(`${small.url}/`, {
        method: 'POST',
        body: `SELECT '${'x'.repeat(4096)}'`,
      });
      expect([res.status, res.headers.get('x-clickhouse-exception-code')]).toEqual([413, '229']);
    } finally {
      await small.close();
    }
  });
});
