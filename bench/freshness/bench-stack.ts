/**
 * The production topology for the freshness benchmark, on names of its own:
 * topics, consumer groups, Redis key prefix and ClickHouse database carry a
 * random suffix; `npm start`'s entry (standalone/src/main.ts, Kafka + Redis
 * mode: ingestor and processor in one process) runs pinned to core 0.
 * `cleanup()` stops the child and removes everything; it is safe to call twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { benchClickHouseAuth } from '../clickhouse-auth';
import { createTopicsAndWait, runMigrations } from '@gosight/schema';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig as loadIngestorConfig } from '../../ingestor/src/config';
import { loadConfig as loadProcessorConfig } from '../../processor/src/config';
import { freePort } from '../../standalone/src/testing/spawn-standalone';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StackOptions {
  brokers: string[];
  redisUrl: string;
  clickhouseUrl: string;
  /** Extra variables for the child (GOSIGHT_BATCH_MAX_WAIT_MS and friends, from our environment). */
  overrides: Record<string, string>;
}

/** Creates the topics and database, starts the pinned child, waits until it serves /v1/batch. */
export async function startBenchStack(options: StackOptions) {
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const names = {
    topic: `bench.freshness.raw.${suffix}`,
    dlqTopic: `bench.freshness.dlq.${suffix}`,
    group: `bench-freshness-${suffix}`,
    database: `bench_freshness_${suffix}`,
    prefix: `bench:freshness:${suffix}:`,
  };
  const project = 'pk_fresh';
  const origin = 'https://shop.example.com';
  const kafka = new Kafka({
    clientId: 'bench-freshness',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const clickhouseAuth = benchClickHouseAuth();
  const clickhouse = createClient({ url: options.clickhouseUrl, ...clickhouseAuth });
  const dataDir = mkdtempSync(join(tmpdir(), 'gosight-freshness-'));
  let child: ChildProcess | undefined;
  let output = '';
  let cleaning: Promise<void> | undefined;

  async function cleanupOnce(): Promise<void> {
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['stop child', () => stopChild()],
      [
        'drop database',
        () => clickhouse.command({ query: `DROP DATABASE IF EXISTS ${names.database}` }),
      ],
      ['delete groups', () => admin.deleteGroups([names.group, `${names.group}-dlq`])],
      ['delete topics', () => admin.deleteTopics({ topics: [names.topic, names.dlqTopic] })],
      ['delete redis keys', () => deleteRedisKeys(options.redisUrl, names.prefix)],
    ];
    for (const [what, step] of steps) {
      await step().catch((error: unknown) =>
        console.error(`[bench] cleanup: ${what} failed: ${String(error)}`),
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
    await admin.disconnect().catch(() => undefined);
    await clickhouse.close().catch(() => undefined);
  }

  async function stopChild(): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 35_000);
    await exited;
    clearTimeout(killer);
  }

  const cleanup = () => (cleaning ??= cleanupOnce());

  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    KAFKA_BROKERS: options.brokers.join(','),
    REDIS_URL: options.redisUrl,
    CLICKHOUSE_URL: options.clickhouseUrl,
    CLICKHOUSE_USER: clickhouseAuth.username,
    CLICKHOUSE_PASSWORD: clickhouseAuth.password,
    CLICKHOUSE_DATABASE: names.database,
    GOSIGHT_TOPIC_RAW: names.topic,
    GOSIGHT_TOPIC_DLQ: names.dlqTopic,
    GOSIGHT_CONSUMER_GROUP: names.group,
    GOSIGHT_REDIS_PREFIX: names.prefix,
    GOSIGHT_DATA_DIR: dataDir,
    GOSIGHT_PROJECTS: JSON.stringify([{ key: project, origins: [origin] }]),
    GOSIGHT_LOG_LEVEL: 'warn',
    PORT: String(port),
    GOSIGHT_INGESTOR_METRICS_PORT: '0',
    ...options.overrides,
  };
  try {
    await admin.connect();
    await createTopicsAndWait(admin, [
      { topic: names.topic, numPartitions: 3 },
      { topic: names.dlqTopic, numPartitions: 1 },
    ]);
    await runMigrations({ client: clickhouse, database: names.database });
    child = spawn(
      'taskset',
      ['-c', '0', process.execPath, '--import', 'tsx', 'standalone/src/main.ts'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('gosight is running')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`standalone did not start:\n${output}`);
      }
      await sleep(100);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    names,
    port,
    project,
    origin,
    clickhouse,
    /** The effective processor / ingestor settings the child parsed from `env`. */
    settings: { processor: loadProcessorConfig(env), ingestor: loadIngestorConfig(env) },
    pid: () => child?.pid ?? 0,
    output: () => output,
    cleanup,
  };
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
