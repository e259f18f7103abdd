/**
 * The one-shot init job's configuration (compose service `init`): the
 * ClickHouse and Kafka settings it shares with the services, plus how to
 * create the topics. Parsed once; nothing else in the job reads process.env.
 */
import { TOPICS, clickhouseEnv, kafkaEnv, parseEnv, retentionEnv } from '@gosight/schema';
import { z } from 'zod';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'not a valid Kafka topic name');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every variable the init job reads (the env-docs test checks them against .env.example). */
export const initEnv = z.object({
  ...clickhouseEnv,
  ...retentionEnv,
  KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS.unwrap(),
  GOSIGHT_TOPIC_RAW: topicName.default(TOPICS.raw),
  GOSIGHT_TOPIC_DLQ: topicName.default(TOPICS.dlq),
  KAFKA_TOPIC_PARTITIONS: int(1, 10_000).default(12),
  KAFKA_TOPIC_REPLICATION_FACTOR: int(1, 32).default(1),
  KAFKA_TOPIC_RETENTION_HOURS: int(1, 100_000).default(168),
  KAFKA_DLQ_RETENTION_HOURS: int(1, 100_000).default(720),
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid cluster name')
    .optional(),
});

/** The parsed, frozen init configuration. */
export type InitConfig = Readonly<z.output<typeof initEnv>>;

/** Parses the init job's environment; throws a ConfigError naming each bad variable. */
export function loadInitConfig(env: Readonly<Record<string, string | undefined>>): InitConfig {
  return parseEnv(initEnv, env, { service: 'init' });
}
