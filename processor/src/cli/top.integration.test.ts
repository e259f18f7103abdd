/**
 * `gosight top` on the real local stack: events produced to Kafka (one batch
 * delivered twice) and stored by a running processor, unmerged copies of some; `top --once` as the
 * read-only analyst prints the exact counts per window and the groups' lag,
 * works without Kafka (single-machine mode), stops cleanly on SIGINT, and
 * `--by segment` works with the segment column and says why without it.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { EnrichedEvent } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConsumerLag } from './consumer-lag';
import { enrichedEvent, newSession } from '../testing/enriched-builder';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from '../testing/harness';
import { runTopCommand } from './top-command';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/gosight.mjs', import.meta.url));
const MINUTE = 60_000;
// The read-only analyst of the embedded endpoint: what `gosight top` uses by default.
const READER = { username: 'default', password: '' };

let env: TestEnv;
let processor: RunningProcessor;
let reader: ClickHouseClient;
let noSegmentDb: string;
let projectA: string;
let projectB: string;
/** Start of the window with most events (4 minutes ago), and of the next one. */
let w1: number;
let w2: number;

/** The gosight bin against the test's database, topics and group; exit code and output. */
async function gosight(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    KAFKA_BROKERS: env.brokers.join(','),
    CLICKHOUSE_URL: env.clickhouseUrl,
    CLICKHOUSE_USER: READER.username,
    CLICKHOUSE_PASSWORD: READER.password,
    CLICKHOUSE_DATABASE: env.settings.database,
    GOSIGHT_TOPIC_RAW: env.settings.topic,
    GOSIGHT_TOPIC_DLQ: env.settings.dlqTopic,
    GOSIGHT_CONSUMER_GROUP: env.settings.group,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The lines of the window starting at `start` (its first line and the rows under it), spaces squeezed. */
function windowLines(stdout: string, start: number): string[] {
  const lines = stdout.split('\n');
  const label = [
    `${iso(start).slice(11, 19)}-`,
    `${iso(start).slice(5, 10)} ${iso(start).slice(11, 16)}-`,
  ];
  const at = lines.findIndex((l) => label.some((p) => l.startsWith(p)));
  if (at < 0) return [];
  const block = [lines[at] ?? ''];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith(' ')) break;
    block.push(l);
  }
  return block.map((l) => l.trim().replace(/\s+/g, ' '));
}

function events(): EnrichedEvent[] {
  const a = newSession(projectA, { country: 'FR' });
  const a2 = newSession(projectA, { country: 'DE' });
  const b = newSession(projectB);
  const at = (base: number, i: number) => base + 5000 + i * 1000;
  const view = (s: typeof a, ts: number, path: string) =>
    enrichedEvent(s, 'page_view', { nav: 'load' }, { ts, url: `https://shop.example${path}` });
  const click = (s: typeof a, ts: number, path: string) =>
    enrichedEvent(
      s,
      'click',
      {
        x: 1,
        y: 1,
        vx: 1,
        vy: 1,
        selector: 'button',
        tag: 'button',
        text: 'Buy',
        rage: false,
        dead: false,
      },
      { ts, url: `https://shop.example${path}` },
    );
  return [
    // Window 1, project A: 6 page views (4 FR, 2 DE), 3 clicks, 1 error — 10 events.
    ...[0, 1, 2, 3].map((i) => view(a, at(w1, i), '/')),
    ...[4, 5].map((i) => view(a2, at(w1, i), '/')),
    ...[6, 7, 8].map((i) => click(a, at(w1, i), '/cart')),
    enrichedEvent(
      a,
      'js_error',
      { message: 'boom', error_type: 'TypeError', stack: '' },
      { ts: at(w1, 9), url: 'https://shop.example/' },
    ),
    // Window 2, project A: 2 page views.
    view(a, at(w2, 0), '/story'),
    view(a, at(w2, 1), '/story'),
    // Window 1, project B: 4 page views, left out by --project.
    ...[0, 1, 2, 3].map((i) => view(b, at(w1, i), '/')),
  ];
}

beforeAll(async () => {
  env = await createTestEnv('top', 1);
  projectA = `pk_top_a_${env.suffix}`;
  projectB = `pk_top_b_${env.suffix}`;
  w1 = Math.floor(Date.now() / MINUTE) * MINUTE - 4 * MINUTE;
  w2 = w1 + MINUTE;
  reader = createClient({ url: env.clickhouseUrl, ...READER });
  // Keep copies unmerged (no part is small enough to merge), so only top's own dedup removes them.
  await env.clickhouse.command({
    query: `ALTER TABLE ${env.settings.database}.events MODIFY SETTING max_bytes_to_merge_at_max_space_in_pool = 1`,
  });
  processor = await startProcessor(env);

  const all = events();
  await env.produce(all);
  // The same first request delivered a second time (an SDK retry).
  await env.produce(all.slice(0, 10));
  const stored = await waitUntil(async () => {
    const [row] = await env.query<{ n: string }>(
      `SELECT count() AS n FROM {db}.events FINAL WHERE project_id IN ('${projectA}', '${projectB}')`,
    );
    return Number(row?.n) === all.length;
  }, 60_000);
  expect(stored).toBe(true);
  // Copies of the clicks as a retried insert of another delivery leaves them before a merge
  // (ts corrected a few ms differently): top counts each event once all the same.
  const db = env.settings.database;
  await env.clickhouse.command({
    query: `INSERT INTO ${db}.events SELECT * REPLACE (ts + toIntervalMillisecond(3) AS ts) FROM ${db}.events WHERE project_id = '${projectA}' AND type = 'click'`,
  });
  const [copies] = await env.query<{ n: string }>(
    `SELECT count() AS n FROM {db}.events WHERE project_id = '${projectA}'`,
  );
  expect(Number(copies?.n)).toBe(15);
  const caughtUp = await waitUntil(
    async () =>
      (await readConsumerLag(env.admin, env.settings.group, env.settings.topic)).total === 0,
    30_000,
  );
  expect(caughtUp).toBe(true);

  // A copy of the events table without a segment column (as before migration 0007).
  noSegmentDb = `${env.settings.database}_noseg`;
  await env.clickhouse.command({ query: `CREATE DATABASE ${noSegmentDb}` });
  await env.clickhouse.command({
    query: `CREATE TABLE ${noSegmentDb}.events AS ${env.settings.database}.events`,
  });
  await env.clickhouse.command({
    query: `ALTER TABLE ${noSegmentDb}.events DROP COLUMN IF EXISTS segment`,
  });
});

afterAll(async () => {
  await processor?.close();
  await env?.clickhouse
    .command({ query: `DROP DATABASE IF EXISTS ${noSegmentDb}` })
    .catch(() => undefined);
  await reader?.close();
  await env?.cleanup();
});

describe('gosight top --once', () => {
  it('prints the exact events per window by type, a duplicate delivery counted once', async () => {
    const top = await gosight([
      'top',
      '--once',
      '--window',
      '1m',
      '--windows',
      '10',
      '--project',
      projectA,
    ]);
    expect(top.stderr).toBe('');
    expect(top.code).toBe(0);
    console.log(top.stdout);
    expect(top.stdout).toContain(`events by type · 1m windows of event time · project ${projectA}`);
    expect(windowLines(top.stdout, w1)).toEqual([
      expect.stringMatching(/ 10 0\.2 page_view 6 60%$/),
      'click 3 30%',
      'js_error 1 10%',
    ]);
    expect(windowLines(top.stdout, w2)).toEqual([
      expect.stringMatching(/ 2 0\.0 page_view 2 100%$/),
    ]);
  });

  it('groups by path and by country, and --top limits the rows', async () => {
    const byPath = await gosight([
      'top',
      '--once',
      '--window',
      '1m',
      '--windows',
      '10',
      '--by',
      'path',
      '--project',
      projectA,
    ]);
    expect(byPath.code).toBe(0);
    expect(windowLines(byPath.stdout, w1)).toEqual([
      expect.stringMatching(/ 10 0\.2 \/ 7 70%$/),
      '/cart 3 30%',
    ]);
    const byCountry = await gosight([
      'top',
      '--once',
      '--window',
      '1m',
      '--windows',
      '10',
      '--by',
      'country',
      '--top',
      '1',
    ]);
    expect(byCountry.code).toBe(0);
    // Both projects: 14 events in window 1; FR has 8 (4 views, 3 clicks, the error).
    expect(windowLines(byCountry.stdout, w1)).toEqual([
      expect.stringMatching(/ 14 0\.2 FR 8 57%$/),
    ]);
  });

  it('shows the lag of the processor group and of its DLQ recorder', async () => {
    const top = await gosight(['top', '--once', '--project', projectA]);
    expect(top.code).toBe(0);
    expect(top.stdout.split('\n')[1]).toBe(
      `lag      ${env.settings.group} 0 (${env.settings.topic}) · ${env.settings.group}-dlq 0 (${env.settings.dlqTopic})`,
    );
  });

  it('works without Kafka (single-machine mode) and says why there is no lag', async () => {
    const top = await gosight(
      ['top', '--once', '--window', '1m', '--windows', '10', '--project', projectA],
      {
        KAFKA_BROKERS: undefined,
      },
    );
    expect(top.code).toBe(0);
    expect(top.stdout.split('\n')[1]).toMatch(/^lag +n\/a: KAFKA_BROKERS is not set/);
    expect(windowLines(top.stdout, w1)[0]).toMatch(/ 10 0\.2 page_view 6 60%$/);
  });

  it('exits 1 with one line when Kafka or ClickHouse is unreachable', async () => {
    const noKafka = await gosight(['top', '--once', '--project', projectA], {
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expect(noKafka.code).toBe(1);
    expect(noKafka.stdout.split('\n')[1]).toMatch(/^lag +unavailable: Kafka: /);
    expect(noKafka.stderr).toMatch(/^gosight: consumer lag unavailable: Kafka: .*\n$/);

    const noClickHouse = await gosight(['top', '--once'], { CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(noClickHouse.code).toBe(1);
    expect(noClickHouse.stdout).toBe('');
    expect(noClickHouse.stderr).toBe(
      `gosight: query ${env.settings.database}.events at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n`,
    );
  });

  it('--by segment: a clear message without the column, the counts with it', async () => {
    const without = await gosight(['top', '--once', '--by', 'segment'], {
      CLICKHOUSE_DATABASE: noSegmentDb,
    });
    expect(without.code).toBe(2);
    expect(without.stdout).toBe('');
    expect(without.stderr).toContain(
      `gosight: --by segment needs the segment column of ${noSegmentDb}.events (user segments, migration 0007)`,
    );

    // With the column (added here unless migration 0007 already did), rows that carry segments.
    const db = env.settings.database;
    await env.clickhouse.command({
      query: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS segment LowCardinality(String) DEFAULT 'unknown'`,
    });
    const projectS = `pk_top_s_${env.suffix}`;
    const ts = (i: number) =>
      iso(w1 + 10_000 + i * 1000)
        .replace('T', ' ')
        .replace('Z', '');
    await env.clickhouse.insert({
      table: `${db}.events`,
      format: 'JSONEachRow',
      values: ['vip', 'vip', 'vip', 'free', 'unknown'].map((segment, i) => ({
        event_id: `00000000-0000-4000-8000-00000000000${i}`,
        project_id: projectS,
        type: 'page_view',
        ts: ts(i),
        client_ts: ts(i),
        sent_at: ts(i),
        received_at: ts(i),
        session_id: `s${i}`,
        segment,
      })),
    });
    const withIt = await gosight([
      'top',
      '--once',
      '--window',
      '1m',
      '--windows',
      '10',
      '--by',
      'segment',
      '--project',
      projectS,
    ]);
    expect(withIt.code).toBe(0);
    expect(windowLines(withIt.stdout, w1)).toEqual([
      expect.stringMatching(/ 5 0\.1 vip 3 60%$/),
      'free 1 20%',
      'unknown 1 20%',
    ]);
  });

  it('refuses bad flags with exit code 2', async () => {
    const bad = await gosight(['top', '--window', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'gosight: --window expects a duration like 10s, 1m or 500ms, got "soon"\n',
    );
  });
});

describe('gosight top, live', () => {
  it('redraws in place on a terminal until aborted, then shows the cursor again', async () => {
    const stop = new AbortController();
    const written: string[] = [];
    const code = await runTopCommand({
      client: reader,
      database: env.settings.database,
      where: env.clickhouseUrl,
      command: {
        name: 'top',
        windowMs: MINUTE,
        by: 'type',
        projects: [projectA],
        windows: 10,
        top: 5,
        once: false,
        intervalMs: 200,
      },
      readLag: () => Promise.resolve({ kind: 'none', reason: 'test' }),
      write: (text) => {
        written.push(text);
        if (written.filter((t) => t.startsWith('\u001b[H')).length === 3) stop.abort();
      },
      err: () => undefined,
      tty: true,
      size: () => ({ columns: 200, rows: 50 }),
      signal: stop.signal,
    });
    expect(code).toBe(0);
    expect(written[0]).toBe('\u001b[?25l\u001b[2J');
    const frames = written.filter((t) => t.startsWith('\u001b[H'));
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      const lines = frame.split('\u001b[K\n');
      expect(lines.some((l) => / 10 +0\.2 +page_view +6 +60%$/.test(l))).toBe(true);
      expect(frame.endsWith('\n\u001b[J')).toBe(true);
    }
    expect(written.at(-1)).toBe('\u001b[?25h');
  });

  it('keeps refreshing with the last lag while a lag read hangs, and stops at once', async () => {
    const stop = new AbortController();
    const frames: string[] = [];
    let reads = 0;
    const started = Date.now();
    const code = await runTopCommand({
      client: reader,
      database: env.settings.database,
      where: env.clickhouseUrl,
      command: {
        name: 'top',
        windowMs: MINUTE,
        by: 'type',
        projects: [projectA],
        windows: 10,
        top: 5,
        once: false,
        intervalMs: 200,
      },
      readLag: () => {
        reads += 1;
        // The first read answers; the next one hangs (a broker that stopped answering).
        return reads === 1
          ? Promise.resolve({ kind: 'groups', groups: [{ group: 'g', topic: 't', total: 7 }] })
          : new Promise(() => undefined);
      },
      write: (text) => {
        frames.push(text);
        if (frames.length === 4) stop.abort();
      },
      err: () => undefined,
      tty: false,
      signal: stop.signal,
    });
    expect(code).toBe(0);
    expect(reads).toBe(2);
    expect(frames).toHaveLength(4);
    for (const frame of frames) expect(frame).toContain('\nlag      g 7 (t)\n');
    // Four frames 200 ms apart, each waiting at most 200 ms for the hung read.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('prints successive tables when not on a terminal and exits 0 on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'top',
        '--window',
        '1m',
        '--windows',
        '10',
        '--interval',
        '300ms',
        '--project',
        projectA,
      ],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: env.brokers.join(','),
          CLICKHOUSE_URL: env.clickhouseUrl,
          CLICKHOUSE_USER: READER.username,
          CLICKHOUSE_PASSWORD: READER.password,
          CLICKHOUSE_DATABASE: env.settings.database,
          GOSIGHT_TOPIC_RAW: env.settings.topic,
          GOSIGHT_TOPIC_DLQ: env.settings.dlqTopic,
          GOSIGHT_CONSUMER_GROUP: env.settings.group,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const twoFrames = await waitUntil(
      () => Promise.resolve(stdout.split('gosight top ·').length > 2),
      30_000,
      100,
    );
    expect(twoFrames).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).not.toContain('\u001b[');
    const frames = stdout.split('\n\ngosight top ·');
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(windowLines(stdout, w1)[0]).toMatch(/ 10 0\.2 page_view 6 60%$/);
  });
});
