/**
 * The processor's configuration, parsed once at start from the environment.
 * Nothing else in the processor reads process.env.
 */
import { z } from 'zod';
import {
  CONSUMER_GROUP,
  TOPICS,
  clickhouseEnv,
  kafkaEnv,
  parseEnv,
  redisEnv,
  retentionEnv,
} from '@gosight/schema';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'not a valid Kafka topic name');
const groupName = z.string().min(1).max(255);

export const processorEnv = z.object({
  ...kafkaEnv,
  ...redisEnv,
  ...clickhouseEnv,
  ...retentionEnv,
  /** host:port,host:port of Redis Cluster masters: sessions in a cluster instead of REDIS_URL */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^,:\s]+:\d{1,5}(,[^,:\s]+:\d{1,5})*$/, 'expected host:port,host:port,...')
    .transform((value) => value.split(','))
    .optional(),
  GOSIGHT_TOPIC_RAW: topicName.default(TOPICS.raw),
  GOSIGHT_TOPIC_DLQ: topicName.default(TOPICS.dlq),
  GOSIGHT_CONSUMER_GROUP: groupName.default(CONSUMER_GROUP),
  /** No longer read: events and sessions share one group since issue 14. Accepted so older environments still start. */
  GOSIGHT_SESSIONS_GROUP: groupName.optional(),
  GOSIGHT_REDIS_PREFIX: z.string().max(64).default('gosight:'),
  GOSIGHT_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(30),
  GOSIGHT_SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().max(3600).default(30),
  GOSIGHT_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(500_000).default(50_000),
  GOSIGHT_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Redis replicas that must have a batch's session writes before its offsets are committed (WAIT). */
  GOSIGHT_REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
  GOSIGHT_REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  GOSIGHT_KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  /** How often the segment cache reads new rows of user_profiles. */
  GOSIGHT_SEGMENT_REFRESH_SECONDS: z.coerce.number().positive().max(3600).default(10),
  /** Most users the segment cache holds (each a few hundred bytes). */
  GOSIGHT_SEGMENT_CACHE_USERS: z.coerce.number().int().min(1).max(50_000_000).default(500_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9465),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

/** The parsed, frozen processor configuration. */
export type ProcessorConfig = Readonly<z.output<typeof processorEnv>>;

/** Parses the processor's environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ProcessorConfig {
  const parsed = parseEnv(processorEnv, env, { service: 'processor' });
  return Object.freeze({ ...parsed });
}
