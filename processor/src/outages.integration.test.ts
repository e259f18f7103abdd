/**
 * ClickHouse stopped for 30 s mid-stream: the processor holds its batch
 * (no commit), retries, resumes, and nothing is lost or duplicated.
 * Redis stopped for 30 s mid-stream: the batch in hand waits for it and the
 * group commits nothing meanwhile; session rows are exact when Redis returns. Each outage is a TCP proxy this test closes, so the
 * shared services stay up for everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '@gosight/schema';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy';
import { readConsumerLag } from './cli/consumer-lag';
import type { Processor } from './processor';
import { newSession, realisticSession } from './testing/enriched-builder';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from './testing/harness';

const T0 = Date.UTC(2026, 10, 22, 12);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let env: TestEnv;
let clickhouseProxy: TcpProxy;
let redisProxy: TcpProxy;
let processor: Processor;
let running: RunningProcessor;

const sessions = (n: number, from: number): EnrichedEvent[] =>
  Array.from({ length: n }, (_, i) =>
    realisticSession(newSession('pk_outage'), 20, T0 + (from + i) * 100),
  ).flat();
const count = async (sql: string) => Number((await env.query<{ n: string }>(sql))[0]?.n);
const lagOf = async (group: string) =>
  (await readConsumerLag(env.admin, group, env.settings.topic)).total;
const blocked = async (consumer: string) => {
  const metric = await processor.metrics.blocked.get();
  return metric.values.find((v) => v.labels.consumer === consumer)?.value ?? 0;
};
const sessionTotals = async () => {
  const rows = await env.query<{ n: string; total: string }>(
    'SELECT count() AS n, sum(event_count) AS total FROM {db}.sessions FINAL',
  );
  return [Number(rows[0]?.n), Number(rows[0]?.total)];
};

beforeAll(async () => {
  env = await createTestEnv('outage');
  const ch = new URL(env.clickhouseUrl);
  const redis = new URL(env.redisUrl);
  clickhouseProxy = await startTcpProxy(ch.hostname, Number(ch.port || 8123));
  redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
  running = await startProcessor(env, {
    clickhouseUrl: `http://127.0.0.1:${clickhouseProxy.port}`,
    redisUrl: `redis://127.0.0.1:${redisProxy.port}`,
  });
  processor = running.processor;
});

afterAll(async () => {
  await clickhouseProxy?.open();
  await redisProxy?.open();
  await running?.close();
  await clickhouseProxy?.dispose();
  await redisProxy?.dispose();
  await env?.cleanup();
});

// Lag counts messages: each carries this many events of a session (sessions of 20 events).
const PER_MESSAGE = 5;

describe('outages', () => {
  it('ClickHouse down for 30 s: pause without commit, resume, nothing lost or duplicated', async () => {
    await env.produce(sessions(100, 0));
    // The first batch is wholly stored (events, then sessions) and committed.
    expect(await waitUntil(async () => (await lagOf(env.settings.group)) === 0, 60_000)).toBe(true);
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(2000);

    await clickhouseProxy.close();
    await env.produce(sessions(100, 100), { perMessage: PER_MESSAGE });
    await sleep(30_000);
    // Held, not committed: the new events are still lag, and nothing reached ClickHouse.
    expect(await blocked('events')).toBe(1);
    expect(await lagOf(env.settings.group)).toBe(2000 / PER_MESSAGE);
    expect(await count('SELECT count() AS n FROM {db}.events')).toBe(2000);

    await clickhouseProxy.open();
    expect(await waitUntil(async () => (await lagOf(env.settings.group)) === 0, 60_000)).toBe(true);
    expect(await blocked('events')).toBe(0);
    expect(await count('SELECT uniqExact(event_id) AS n FROM {db}.events')).toBe(4000);
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(4000);
    expect(await sessionTotals()).toEqual([200, 4000]);
  });

  it('Redis down: the batch in hand waits, nothing is committed, session rows exact when it returns', async () => {
    await redisProxy.close();
    await env.produce(sessions(50, 200), { perMessage: PER_MESSAGE });
    await sleep(30_000);
    // One group: the batch that cannot reach Redis holds its offsets, so nothing of it is lost.
    expect(await blocked('sessions')).toBe(1);
    expect(await lagOf(env.settings.group)).toBe(1000 / PER_MESSAGE);
    expect(await sessionTotals()).toEqual([200, 4000]);

    await redisProxy.open();
    expect(await waitUntil(async () => (await lagOf(env.settings.group)) === 0, 60_000)).toBe(true);
    expect(await blocked('sessions')).toBe(0);
    expect(await sessionTotals()).toEqual([250, 5000]);
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(5000);
    expect(await count('SELECT uniqExact(event_id) AS n FROM {db}.events')).toBe(5000);
  });
});
