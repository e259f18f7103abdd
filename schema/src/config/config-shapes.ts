/**
 * zod shapes for the environment variables several services share, so each
 * variable is parsed and documented once. Services spread them into their own
 * config schema and call `parseEnv`.
 */
import { z } from 'zod';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid identifier');

/** ClickHouse connection: the warehouse port (ARCHITECTURE.md, "Three ports"). */
export const clickhouseEnv = {
  CLICKHOUSE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8123'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: identifier.default('gosight'),
};

/** Retention of stored rows in days; unset = keep forever. */
export const retentionEnv = {
  GOSIGHT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
};

/** Kafka brokers as `host:port[,host:port]`; unset = in-process bus (single machine). */
export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'expected host:port[,host:port...]')
    .transform((value) => value.split(','))
    .optional(),
};

/** Redis URL; unset = in-memory session store (single machine). */
export const redisEnv = {
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
};
