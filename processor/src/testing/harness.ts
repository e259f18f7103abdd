/**
 * Integration-test plumbing: a test's own topics, groups, ClickHouse database
 * and Redis key prefix (random suffix), producing events, waiting for rows,
 * and cleaning everything up afterwards.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createTopicsAndWait, runMigrations, type EnrichedEvent } from '@gosight/schema';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { createClients } from '../clients';
import { createProcessor, type Processor, type ProcessorSettings } from '../processor';
import { rawMessagesOf } from './raw-messages';

export interface TestEnv {
  suffix: string;
  settings: ProcessorSettings;
  brokers: string[];
  redisUrl: string;
  clickhouseUrl: string;
  /** ClickHouse credentials that may write */
  clickhouseAuth: { username: string; password: string };
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  clickhouse: ClickHouseClient;
  redis: Redis;
  /** Produces events to the test's raw topic, key = session_id, headers as the ingestor sets them. */
  /**
   * Produces `events` as the ingestor does: consecutive events of a session
   * share a message, up to `perMessage` (default 5); 1 writes format-1 messages.
   */
  produce(events: readonly EnrichedEvent[], options?: { perMessage?: number }): Promise<void>;
  /** Produces raw values (poison) to the raw topic. */
  produceRaw(values: readonly (string | null)[]): Promise<void>;
  /** Runs a query in the test's database (`{db}` is replaced) and returns the rows. */
  query<T>(sql: string): Promise<T[]>;
  cleanup(): Promise<void>;
}

/** Creates a test's own topics (3 partitions), database (migrated) and key prefix. */
export async function createTestEnv(name: string, partitions = 3): Promise<TestEnv> {
  const env = serviceEnv();
  const suffix = uniqueSuffix();
  const settings: ProcessorSettings = {
    topic: `test.${name}.raw.${suffix}`,
    dlqTopic: `test.${name}.dlq.${suffix}`,
    group: `test-${name}-${suffix}`,
    database: `test_${name.replaceAll('-', '_')}_${suffix}`,
    redisPrefix: `test:${name}:${suffix}:`,
    sessionIdleMs: 30 * 60_000,
    sweepIntervalMs: 3_600_000,
    batchMaxRows: 50_000,
    batchMaxWaitMs: 1000,
    kafkaSessionTimeoutMs: 6000,
    metricsPort: null,
    metricsHost: '127.0.0.1',
  };
  const kafka = new Kafka({
    clientId: `test-${name}`,
    brokers: env.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  // Idempotent: a retried produce on a loaded broker must not write a fixture twice, since
  // tests assert exact offsets and lag (the cluster lag test met exactly that).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  await createTopicsAndWait(admin, [
    { topic: settings.topic, numPartitions: partitions },
    { topic: settings.dlqTopic, numPartitions: 1 },
  ]);
  const clickhouse = createClient({
    url: env.clickhouseUrl,
    ...env.clickhouseAuth,
    request_timeout: 60_000,
  });
  await runMigrations({ client: clickhouse, database: settings.database });
  const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 1 });

  const query = async <T>(sql: string) => {
    const result = await clickhouse.query({
      query: sql.replaceAll('{db}', settings.database),
      format: 'JSONEachRow',
    });
    return result.json<T>();
  };

  return {
    suffix,
    settings,
    brokers: env.kafkaBrokers,
    redisUrl: env.redisUrl,
    clickhouseUrl: env.clickhouseUrl,
    clickhouseAuth: env.clickhouseAuth,
    kafka,
    admin,
    producer,
    clickhouse,
    redis,
    async produce(events, options = {}) {
      const messages = rawMessagesOf(events, options.perMessage ?? 5);
      for (let i = 0; i < messages.length; i += 1000) {
        await producer.send({
          topic: settings.topic,
          acks: -1,
          messages: messages.slice(i, i + 1000),
        });
      }
    },
    async produceRaw(values) {
      await producer.send({
        topic: settings.topic,
        acks: -1,
        messages: values.map((value) => ({ key: 'poison', value })),
      });
    },
    query,
    async cleanup() {
      await clickhouse
        .command({ query: `DROP DATABASE IF EXISTS ${settings.database}` })
        .catch(() => undefined);
      await admin.deleteGroups([settings.group, `${settings.group}-dlq`]).catch(() => undefined);
      await admin
        .deleteTopics({ topics: [settings.topic, settings.dlqTopic] })
        .catch(() => undefined);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${settings.redisPrefix}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      redis.disconnect();
      await clickhouse.close();
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A processor running against a test's env, with the clients it owns. */
export interface RunningProcessor {
  processor: Processor;
  /** Closes the processor, then its clients. */
  close(): Promise<void>;
}

/**
 * Starts a processor on `env` (its topics, groups, database, prefix); the
 * overrides change settings or route ClickHouse/Redis through e.g. a proxy.
 */
export async function startProcessor(
  env: TestEnv,
  overrides: {
    settings?: Partial<ProcessorSettings>;
    clickhouseUrl?: string;
    redisUrl?: string;
  } = {},
): Promise<RunningProcessor> {
  const clients = createClients(
    {
      CLICKHOUSE_URL: overrides.clickhouseUrl ?? env.clickhouseUrl,
      CLICKHOUSE_USER: env.clickhouseAuth.username,
      CLICKHOUSE_PASSWORD: env.clickhouseAuth.password,
      kafkaBrokers: env.brokers,
      redisUrl: overrides.redisUrl ?? env.redisUrl,
    },
    { log: () => undefined },
  );
  const processor = createProcessor({
    settings: { ...env.settings, ...overrides.settings },
    ...clients,
    log: () => undefined,
  });
  await processor.start();
  return {
    processor,
    async close() {
      await processor.close();
      await clients.close();
    },
  };
}
