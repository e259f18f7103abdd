/**
 * The endpoint against a hostile web page and a careless analyst: the drive-by requests of the
 * hardening issue are refused and leave nothing behind, the password-less user only reads and
 * only within its limits, the writer works unchanged through `@clickhouse/client`, and inserts
 * are not held up by long analyst queries.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseHttpServer, type ClickHouseHttpServer } from './http-server';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-security-'));
const pwned = path.join(dataDir, 'pwn.txt');
const db = `sec_${Math.random().toString(36).slice(2, 10)}`;
let server: ClickHouseHttpServer;
let writer: ClickHouseClient;

beforeAll(async () => {
  server = createClickHouseHttpServer({ dataDir, port: 0, readerMaxExecutionSeconds: 5 });
  await server.listen();
  writer = createClient({ url: server.url, ...server.writer, request_timeout: 60_000 });
  await writer.command({ query: `CREATE DATABASE ${db}` });
  await writer.command({
    query: `CREATE TABLE ${db}.t (id UInt32, s String) ENGINE = MergeTree ORDER BY id`,
  });
});

afterAll(async () => {
  await writer?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw HTTP request, so Host and Origin are exactly what a browser or curl would send. */
function raw(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; text: string; code: string | undefined }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: pathAndQuery, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            code: res.headers['x-clickhouse-exception-code'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const writerHeaders = (): Record<string, string> => ({
  'X-ClickHouse-User': server.writer.username,
  'X-ClickHouse-Key': server.writer.password,
});

describe('the embedded endpoint against web pages', () => {
  const writeFile = `INSERT INTO FUNCTION file('${pwned}','LineAsString') SELECT 'x'`;
  const readFile = "SELECT * FROM file('/etc/passwd','LineAsString') LIMIT 2";

  it('refuses a cross-origin text/plain POST with 403, with and without credentials', async () => {
    for (const auth of [{}, writerHeaders()]) {
      const res = await raw(
        'POST',
        '/',
        { ...auth, Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
        writeFile,
      );
      expect([res.status, res.code]).toEqual([403, '497']);
      expect(res.text).toMatch(
        /^Code: 497\. DB::Exception: Requests from web pages are not allowed/,
      );
    }
    expect(existsSync(pwned)).toBe(false);
  });

  it('refuses file() and url() for every user, with one clear error', async () => {
    for (const auth of [{}, writerHeaders()]) {
      for (const sql of [writeFile, readFile, "SELECT * FROM url('http://127.0.0.1:9/', 'CSV')"]) {
        const res = await raw('POST', '/', auth, sql);
        expect([sql, res.status, res.code]).toEqual([sql, 403, '497']);
        expect(res.text).toContain('is not allowed on the gosight embedded ClickHouse endpoint');
        expect(res.text).not.toContain('root:');
      }
    }
    expect(existsSync(pwned)).toBe(false);
  });

  it('refuses a Host that is not loopback (DNS rebinding), and a cross-site fetch', async () => {
    let res = await raw('GET', '/?query=SELECT+1', { Host: 'rebind.attacker.example' });
    expect([res.status, res.code]).toEqual([403, '497']);
    res = await raw('GET', '/?query=SELECT+1', { Host: 'rebind.attacker.example:8123' });
    expect(res.status).toBe(403);
    res = await raw('GET', '/?query=SELECT+1', { 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    for (const host of ['127.0.0.1:8123', 'localhost:8123', '[::1]:8123', 'localhost']) {
      res = await raw('GET', '/?query=SELECT+1', { Host: host });
      expect([host, res.status, res.text]).toEqual([host, 200, '1\n']);
    }
  });
});

describe('users', () => {
  it('answers wrong credentials with error 516 and HTTP 401', async () => {
    for (const auth of [
      { 'X-ClickHouse-User': 'gosight', 'X-ClickHouse-Key': 'wrong' },
      { 'X-ClickHouse-User': 'default', 'X-ClickHouse-Key': 'x' },
      { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    ]) {
      const res = await raw('POST', '/', auth, 'SELECT 1');
      expect([res.status, res.code]).toEqual([401, '516']);
      expect(res.text).toContain('Authentication failed');
    }
  });

  it('lets the password-less default user read, but not write or raise its limits', async () => {
    await writer.insert({ table: `${db}.t`, values: [{ id: 1, s: 'a' }], format: 'JSONEachRow' });
    const reader = createClient({ url: server.url });
    try {
      const rs = await reader.query({ query: `SELECT s FROM ${db}.t`, format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ s: 'a' }]);
      for (const query of [
        `INSERT INTO ${db}.t VALUES (2, 'b')`,
        `DROP TABLE ${db}.t`,
        `CREATE TABLE ${db}.u (a UInt8) ENGINE = Memory`,
      ]) {
        await expect(reader.command({ query })).rejects.toMatchObject({ type: 'READONLY' });
      }
      await expect(
        reader.query({ query: 'SELECT 1', clickhouse_settings: { max_execution_time: 0 } }),
      ).rejects.toMatchObject({ type: 'SETTING_CONSTRAINT_VIOLATION' });
      await expect(
        reader.query({ query: 'SELECT 1 SETTINGS max_memory_usage = 0' }),
      ).rejects.toMatchObject({ type: 'SETTING_CONSTRAINT_VIOLATION' });
      // Its default time limit (5 s in this test) stops a runaway query.
      const started = Date.now();
      await expect(
        reader.query({ query: 'SELECT count() FROM numbers_mt(1000000000000)' }),
      ).rejects.toMatchObject({ type: 'TIMEOUT_EXCEEDED' });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await reader.close();
    }
    const rows = await writer.query({ query: `SELECT count() AS n FROM ${db}.t`, format: 'JSON' });
    expect(Number((await rows.json<{ n: string }>()).data[0]?.n)).toBe(1);
  });
});

describe('inserts and analyst queries', () => {
  const long = 'SELECT count() FROM numbers(1000000000000) SETTINGS max_threads = 1';

  async function running(): Promise<number> {
    const rs = await writer.query({
      query: `SELECT count() AS n FROM system.processes WHERE query LIKE '%numbers(1000000000000)%' AND query NOT LIKE '%system.processes%'`,
      format: 'JSON',
    });
    return Number((await rs.json<{ n: string }>()).data[0]?.n);
  }

  it('stores an insert within 4 s while three long analyst queries run', async () => {
    const slow = Array.from({ length: 3 }, () =>
      fetch(`${server.url}/?${new URLSearchParams({ query: long }).toString()}`).then(
        (r) => r.status,
      ),
    );
    await expect.poll(running, { timeout: 10_000 }).toBe(3);
    const started = Date.now();
    await writer.insert({
      table: `${db}.t`,
      values: [{ id: 7, s: 'fresh' }],
      format: 'JSONEachRow',
    });
    const rs = await writer.query({
      query: `SELECT s FROM ${db}.t WHERE id = 7`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ s: 'fresh' }]);
    const elapsed = Date.now() - started;
    expect(await running()).toBe(3); // the insert did not wait for them
    // well inside their 5 s limit (2 s was too tight beside three busy queries on a loaded CI)
    expect(elapsed).toBeLessThan(4_000);
    expect(await Promise.all(slow)).toEqual([408, 408, 408]); // ended by their 5 s limit
  });

  it('cancels a query when its client goes away', async () => {
    const gone = new AbortController();
    const abandoned = fetch(`${server.url}/?${new URLSearchParams({ query: long }).toString()}`, {
      headers: writerHeaders(),
      signal: gone.signal,
    }).catch(() => 'aborted');
    await expect.poll(running, { timeout: 10_000 }).toBe(1);
    gone.abort();
    expect(await abandoned).toBe('aborted');
    await expect.poll(running, { timeout: 5_000 }).toBe(0);
  });
});
