/** Addresses of the real services the integration tests use (set by global-setup). */
export function serviceEnv(): {
  kafkaBrokers: string[];
  redisUrl: string;
  clickhouseUrl: string;
  /** ClickHouse credentials that may write (CLICKHOUSE_USER / CLICKHOUSE_PASSWORD) */
  clickhouseAuth: { username: string; password: string };
} {
  const { KAFKA_BROKERS, REDIS_URL, CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD } =
    process.env;
  if (!KAFKA_BROKERS || !REDIS_URL || !CLICKHOUSE_URL) {
    throw new Error(
      'integration tests need KAFKA_BROKERS, REDIS_URL and CLICKHOUSE_URL (see test/global-setup.ts)',
    );
  }
  return {
    kafkaBrokers: KAFKA_BROKERS.split(','),
    redisUrl: REDIS_URL,
    clickhouseUrl: CLICKHOUSE_URL,
    clickhouseAuth: { username: CLICKHOUSE_USER ?? 'default', password: CLICKHOUSE_PASSWORD ?? '' },
  };
}

/** A short random suffix so each test's topics, groups, tables and databases are its own. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
