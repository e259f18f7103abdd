/**
 * Integration tests run against the real local services. When the env does
 * not point at services already (KAFKA_BROKERS, REDIS_URL, CLICKHOUSE_URL),
 * this brings the local stack up from deploy/local and exports its addresses
 * to the test workers; services it started itself are stopped afterwards.
 */
import { ensureLocalStack, stopLocalStack } from '@gosight/local';

export default async function setup(): Promise<() => Promise<void>> {
  const wanted = [
    ['kafka', 'KAFKA_BROKERS'],
    ['redis', 'REDIS_URL'],
    ['clickhouse', 'CLICKHOUSE_URL'],
  ] as const;
  const missing = wanted.filter(([, variable]) => !process.env[variable]).map(([name]) => name);
  if (missing.length === 0) return async () => {};

  const stack = await ensureLocalStack({
    services: missing,
    log: (line) => console.log(`[stack] ${line}`),
  });
  process.env.KAFKA_BROKERS ??= stack.kafkaBrokers;
  process.env.REDIS_URL ??= stack.redisUrl;
  if (process.env.CLICKHOUSE_URL === undefined && stack.clickhouseWriter !== undefined) {
    // The local endpoint's writer (its read-only default user cannot create test databases).
    process.env.CLICKHOUSE_USER ??= stack.clickhouseWriter.username;
    process.env.CLICKHOUSE_PASSWORD ??= stack.clickhouseWriter.password;
  }
  process.env.CLICKHOUSE_URL ??= stack.clickhouseUrl;
  return async () => {
    if (stack.started.length > 0) await stopLocalStack(stack.started);
  };
}
