/**
 * `gosight export` on the real ClickHouse engine: the Parquet file, read back
 * by ClickHouse, holds exactly the rows `events FINAL` shows for the range.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../testing/harness';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/gosight.mjs', import.meta.url));
let env: TestEnv;
let dir: string;

/** Runs the gosight bin against the test's database; resolves with exit code and output. */
async function gosight(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        CLICKHOUSE_URL: env.clickhouseUrl,
        CLICKHOUSE_USER: env.clickhouseAuth.username,
        CLICKHOUSE_PASSWORD: env.clickhouseAuth.password,
        CLICKHOUSE_DATABASE: env.settings.database,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const event = (n: number, project: string, ts: string, extra: Record<string, unknown> = {}) => ({
  event_id: id(n),
  project_id: project,
  type: 'pageview',
  ts,
  client_ts: ts,
  sent_at: ts,
  received_at: ts,
  session_id: `s${n}`,
  url: `https://shop.example/p${n}`,
  path: `/p${n}`,
  ...extra,
});
const RANGE = ['--from', '2026-11-01T10:00:00Z', '--to', '2026-11-01T11:00:00Z'];
const inRange = `project_id = 'p1' AND ts >= '2026-11-01 10:00:00' AND ts < '2026-11-01 11:00:00'`;

beforeAll(async () => {
  env = await createTestEnv('export', 1);
  dir = await mkdtemp(join(tmpdir(), 'gosight-export-'));
  const table = `${env.settings.database}.events`;
  // Keep the duplicate copy unmerged (no part is small enough to merge), so only FINAL removes it.
  await env.clickhouse.command({
    query: `ALTER TABLE ${table} MODIFY SETTING max_bytes_to_merge_at_max_space_in_pool = 1`,
  });
  await env.clickhouse.insert({
    table,
    format: 'JSONEachRow',
    values: [
      event(1, 'p1', '2026-11-01 10:00:00.000'),
      event(2, 'p1', '2026-11-01 10:05:00.000'),
      // A title with a quote, a comma and a newline: still one CSV row.
      event(3, 'p1', '2026-11-01 10:10:00.000', { title: 'say "hi",\nthen buy', value: 12.5 }),
      event(4, 'p2', '2026-11-01 10:07:00.000'),
      event(5, 'p1', '2026-11-01 12:00:00.000'),
    ],
  });
  // A second delivery of event 2 (the ingestor corrected ts a few ms differently).
  await env.clickhouse.insert({
    table,
    format: 'JSONEachRow',
    values: [
      event(2, 'p1', '2026-11-01 10:05:00.004', {
        client_ts: '2026-11-01 10:05:00.000',
        received_at: '2026-11-01 10:05:01.000',
      }),
    ],
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  await env?.cleanup();
});

describe('gosight export', () => {
  it('writes Parquet that ClickHouse reads back as the same rows as events FINAL', async () => {
    const [raw] = await env.query<{ n: number | string }>(
      `SELECT count() AS n FROM {db}.events WHERE ${inRange}`,
    );
    expect(Number(raw?.n)).toBe(4); // the duplicate is there without FINAL

    const file = join(dir, 'events.parquet');
    const result = await gosight([
      'export',
      ...RANGE,
      '--project',
      'p1',
      '--format',
      'parquet',
      '--out',
      file,
    ]);
    console.log(`gosight export stderr:\n${result.stderr}`);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/export: done, 3 rows, [\d.]+ KiB \(\d+ bytes\) written/);
    expect((await readFile(file)).subarray(0, 4).toString()).toBe('PAR1');

    await env.clickhouse.command({
      query: `CREATE TABLE ${env.settings.database}.roundtrip AS ${env.settings.database}.events
              ENGINE = MergeTree ORDER BY tuple()`,
    });
    await env.clickhouse.insert({
      table: `${env.settings.database}.roundtrip`,
      values: createReadStream(file),
      format: 'Parquet',
    });
    const back = await env.query<Record<string, unknown>>(
      `SELECT * FROM {db}.roundtrip ORDER BY event_id`,
    );
    const expected = await env.query<Record<string, unknown>>(
      `SELECT * FROM {db}.events FINAL WHERE ${inRange} ORDER BY event_id`,
    );
    expect(back.map((r) => r.event_id)).toEqual([id(1), id(2), id(3)]);
    expect(back).toEqual(expected);
  });

  it('writes NDJSON and CSV with one row per event', async () => {
    const ndjson = join(dir, 'events.ndjson');
    const a = await gosight(['export', ...RANGE, '--format', 'ndjson', '--out', ndjson]);
    expect(a.code).toBe(0);
    const lines = (await readFile(ndjson, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id).sort()).toEqual(
      [id(1), id(2), id(4), id(3)].sort(),
    );
    expect(a.stderr).toMatch(/export: done, 4 rows, /);

    const csv = join(dir, 'events.csv');
    const b = await gosight([
      'export',
      ...RANGE,
      '--project',
      'p1',
      '--format',
      'csv',
      '--out',
      csv,
    ]);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/export: done, 3 rows, /);
    const text = await readFile(csv, 'utf8');
    expect(text.startsWith('"event_id","project_id","type","ts"')).toBe(true);
    expect(text).toContain('"say ""hi"",\nthen buy"');
  });

  it('refuses to overwrite without --force, and bad flags, with exit code 2', async () => {
    const file = join(dir, 'existing.csv');
    await writeFile(file, 'keep me');
    const refused = await gosight(['export', ...RANGE, '--format', 'csv', '--out', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `gosight: ${file} already exists; pass --force to overwrite it`,
    );
    expect(await readFile(file, 'utf8')).toBe('keep me');

    const forced = await gosight(['export', ...RANGE, '--format', 'csv', '--out', file, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^"event_id"/);

    const bad = await gosight(['export', ...RANGE, '--format', 'xlsx', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format expects one of parquet, ndjson, csv, got "xlsx"');
    const badTime = await gosight([
      'export',
      '--from',
      'soon',
      '--to',
      'now',
      '--format',
      'csv',
      '--out',
      join(dir, 'y'),
    ]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--from expects an ISO date/time');
  });
});
