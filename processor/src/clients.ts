/** Builds the infrastructure clients and processor settings from the parsed configuration. */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { Cluster, Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import type { ProcessorConfig } from './config';
import type { ProcessorSettings } from './processor';

export interface Clients {
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  /** one Redis, or a Redis Cluster client when REDIS_CLUSTER_NODES is set */
  redis: Redis | Cluster;
  close(): Promise<void>;
}

/** The processor settings a configuration describes. */
export function settingsFromConfig(config: ProcessorConfig): ProcessorSettings {
  return {
    topic: config.GOSIGHT_TOPIC_RAW,
    dlqTopic: config.GOSIGHT_TOPIC_DLQ,
    group: config.GOSIGHT_CONSUMER_GROUP,
    database: config.CLICKHOUSE_DATABASE,
    redisPrefix: config.GOSIGHT_REDIS_PREFIX,
    sessionIdleMs: config.GOSIGHT_SESSION_IDLE_MINUTES * 60_000,
    sweepIntervalMs: config.GOSIGHT_SWEEP_INTERVAL_SECONDS * 1000,
    batchMaxRows: config.GOSIGHT_BATCH_MAX_ROWS,
    batchMaxWaitMs: config.GOSIGHT_BATCH_MAX_WAIT_MS,
    kafkaSessionTimeoutMs: config.GOSIGHT_KAFKA_SESSION_TIMEOUT_MS,
    redisWaitReplicas: config.GOSIGHT_REDIS_WAIT_REPLICAS,
    redisWaitTimeoutMs: config.GOSIGHT_REDIS_WAIT_TIMEOUT_MS,
    metricsPort: config.METRICS_PORT,
    metricsHost: config.METRICS_HOST,
    segmentRefreshMs: config.GOSIGHT_SEGMENT_REFRESH_SECONDS * 1000,
    segmentCacheUsers: config.GOSIGHT_SEGMENT_CACHE_USERS,
  };
}

/** Connectable clients for Kafka, ClickHouse and Redis (Redis connects lazily and retries). */
export function createClients(
  config: Pick<ProcessorConfig, 'CLICKHOUSE_URL' | 'CLICKHOUSE_USER' | 'CLICKHOUSE_PASSWORD'> & {
    kafkaBrokers: string[];
    redisUrl: string;
    /** host:port of some Redis Cluster masters; when given, redisUrl is not used */
    redisClusterNodes?: readonly string[];
  },
  options: { clientId?: string; log?: (line: string) => void } = {},
): Clients {
  const log = options.log ?? ((line: string) => console.error(line));
  const kafka = new Kafka({
    clientId: options.clientId ?? 'gosight-processor',
    brokers: config.kafkaBrokers,
    logLevel: logLevel.ERROR,
    // kafkajs reports a rebalance as an error; for a consumer group it is routine.
    logCreator: () => (entry) => {
      const message = entry.log.message;
      const error = typeof entry.log.error === 'string' ? entry.log.error : '';
      if (/rebalanc/i.test(`${message} ${error}`)) return;
      log(`kafkajs: ${message}${error ? `: ${error}` : ''}`);
    },
  });
  const clickhouse = createClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    request_timeout: 30_000,
    // Failed inserts are retried and logged by the consumers (retry.ts); the client's own error log would repeat each attempt.
    log: { level: ClickHouseLogLevel.OFF },
  });
  // Fail commands fast while Redis is away; the sessions consumer retries them.
  const redisOptions = { maxRetriesPerRequest: 1, lazyConnect: false };
  const redis =
    config.redisClusterNodes && config.redisClusterNodes.length > 0
      ? new Cluster(
          config.redisClusterNodes.map((node) => {
            const [host = '127.0.0.1', port = '6379'] = node.split(':');
            return { host, port: Number(port) };
          }),
          // A batch's commands span slots: each goes on its own, grouped per master.
          { enableAutoPipelining: true, redisOptions },
        )
      : new Redis(config.redisUrl, redisOptions);
  redis.on('error', () => undefined);
  return {
    kafka,
    clickhouse,
    redis,
    async close() {
      redis.disconnect();
      await clickhouse.close();
    },
  };
}
