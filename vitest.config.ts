import { defineConfig } from 'vitest/config';

// Three tiers (see CONVENTIONS.md): unit tests are pure; integration tests talk
// to the real local Kafka / Redis / ClickHouse engine, which the global setup
// brings up when KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL are not set.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/src/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            '**/node_modules/**',
            '**/*.integration.test.ts',
            '**/*.failover.test.ts',
            // Superset dashboards (issue 18): `npm test -- bi`, test/bi/vitest.config.ts.
            '**/*.bi.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/src/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration tests share one broker and one ClickHouse engine on a
          // 2-core machine; files run one at a time so timings stay sane.
          fileParallelism: false,
        },
      },
      {
        test: {
          // Failover under load (issue 19): a 3-broker Kafka cluster, Redis primary + replica
          // and a Redis Cluster of their own; `npm test -- failover`, also part of `npm test`.
          name: 'failover',
          include: ['test/failover/**/*.failover.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./test/failover/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
