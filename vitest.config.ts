import { defineConfig } from 'vitest/config';

// Three tiers (see CONVENTIONS.md): unit tests are pure; integration tests talk
// to the real local Kafka / Redis / ClickHouse engine, which the global setup
// brings up when KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL are not set.
/**
 * Unit test files that need a fresh module graph of their own: the SDK's DOM globals, and
 * module mocks (vi.mock applies only to a graph that has not loaded the module yet).
 */
const NEEDS_ISOLATION = [
  'sdk/src/**/*.test.ts',
  'standalone/src/demo-project.test.ts',
  'standalone/src/write-file-durably.test.ts',
];

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
            ...NEEDS_ISOLATION,
          ],
          environment: 'node',
          // Pure tests share a worker's module graph: importing fastify, kafkajs, zod and
          // ajv once per worker rather than once per file halves the step (146 s to ~70 s).
          isolate: false,
        },
      },
      {
        test: {
          // Unit tests that set globals (the SDK's DOM) or module state of their own.
          name: 'unit-isolated',
          include: NEEDS_ISOLATION,
          exclude: ['**/node_modules/**'],
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
