/**
 * The ingestor's configuration, parsed once from the environment into a
 * frozen object (CONVENTIONS.md). The only module that reads process.env.
 * Every variable is documented in ingestor/README.md.
 */
import { fileURLToPath } from 'node:url';
import { kafkaEnv, parseEnv, redisEnv, TOPICS } from '@gosight/schema';
import { isIP } from 'node:net';
import { z } from 'zod';
import { projectListSchema, readProjectsSource } from './projects';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './http/server-limits';

const DEFAULT_SDK_FILE = fileURLToPath(new URL('../../sdk/dist/gosight.js', import.meta.url));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== ''),
);

const cidrList = list.refine(
  (items) => items.every(isCidrOrIp),
  'expected a comma-separated list of IPs or CIDRs (e.g. 10.0.0.0/8,::1)',
);

const projects = z
  .string()
  .transform((value, ctx) => {
    try {
      return readProjectsSource(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot read projects: ${String(error)}` });
      return z.NEVER;
    }
  })
  .pipe(projectListSchema);

export const ingestorEnv = z.object({
  PORT: int(0, 65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  // Prometheus metrics name project keys and volumes: their own port, loopback by default.
  GOSIGHT_INGESTOR_METRICS_PORT: int(0, 65_535).default(9464),
  GOSIGHT_INGESTOR_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Slow bodies and idle sockets (issue 13 §4): see server-limits.ts.
  GOSIGHT_REQUEST_TIMEOUT_MS: int(500, 600_000).default(DEFAULT_SERVER_LIMITS.requestTimeoutMs),
  GOSIGHT_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(
    DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs,
  ),
  GOSIGHT_MAX_CONNECTIONS: int(1, 1_000_000).default(DEFAULT_SERVER_LIMITS.maxConnections),
  ...kafkaEnv,
  ...redisEnv,
  GEOIP_DB: list.optional(),
  GOSIGHT_PROJECTS: projects,
  GOSIGHT_TRUSTED_PROXIES: cidrList.default([]),
  GOSIGHT_IP_MODE: z.enum(['anonymize', 'full', 'none']).default('anonymize'),
  GOSIGHT_SDK_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, 'an absolute URL path')
    .default('/sdk/gosight.js'),
  GOSIGHT_SDK_FILE: z.string().min(1).default(DEFAULT_SDK_FILE),
  GOSIGHT_TOPIC_RAW: z.string().min(1).default(TOPICS.raw),
  GOSIGHT_TOPIC_DLQ: z.string().min(1).default(TOPICS.dlq),
  GOSIGHT_BUFFER_MAX_EVENTS: int(1, 10_000_000).default(20_000),
  GOSIGHT_BUFFER_MAX_BYTES: int(64 * 1024, 4 * 1024 ** 3).default(32 * 1024 * 1024),
  GOSIGHT_PRODUCE_BATCH_SIZE: int(1, 100_000).default(1000),
  GOSIGHT_PRODUCE_LINGER_MS: int(0, 1000).default(2),
  GOSIGHT_PRODUCE_TIMEOUT_MS: int(100, 600_000).default(5000),
  // The Kafka client behind the event-bus port (bus/): kafkajs, as the design card names it, or
  // @platformatic/kafka (less CPU an event, but its idempotent producer does not survive a broker
  // failover: README "Kafka client"). The same messages, partitions and acks=all either way.
  GOSIGHT_KAFKA_CLIENT: z.enum(['kafkajs', 'platformatic']).default('kafkajs'),
  GOSIGHT_RETRY_AFTER_SECONDS: int(1, 3600).default(2),
  GOSIGHT_UA_CACHE_SIZE: int(0, 1_000_000).default(2000),
  GOSIGHT_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export type IngestorConfig = Readonly<z.output<typeof ingestorEnv>>;

/** The HTTP server limits the configuration asks for (passed to `buildApp`). */
export function serverLimitsOf(config: IngestorConfig): ServerLimits {
  return {
    requestTimeoutMs: config.GOSIGHT_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.GOSIGHT_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.GOSIGHT_MAX_CONNECTIONS,
  };
}

/** Parses the ingestor's environment; throws a ConfigError naming each bad variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): IngestorConfig {
  return parseEnv(ingestorEnv, env, { service: 'ingestor' });
}

function isCidrOrIp(item: string): boolean {
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}
