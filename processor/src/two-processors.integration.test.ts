/**
 * Two processors at once: they share the partitions, and their sweepers —
 * both running — finalise each session exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from './clients';
import { createProcessor, type Processor } from './processor';
import { newSession, realisticSession } from './testing/enriched-builder';
import { createTestEnv, waitUntil, type TestEnv } from './testing/harness';

const SESSIONS = 300;
const T0 = Date.UTC(2026, 10, 22, 12);
let env: TestEnv;
const running: { processor: Processor; clients: ReturnType<typeof createClients> }[] = [];

const count = async (sql: string) => Number((await env.query<{ n: string }>(sql))[0]?.n);
const metricSum = async (processor: Processor, name: string) =>
  (await processor.metrics.registry.getSingleMetric(name)?.get())?.values.reduce(
    (s, v) => s + v.value,
    0,
  ) ?? 0;

beforeAll(async () => {
  env = await createTestEnv('two');
  for (let i = 0; i < 2; i++) {
    const clients = createClients(
      {
        CLICKHOUSE_URL: env.clickhouseUrl,
        CLICKHOUSE_USER: env.clickhouseAuth.username,
        CLICKHOUSE_PASSWORD: env.clickhouseAuth.password,
        kafkaBrokers: env.brokers,
        redisUrl: env.redisUrl,
      },
      { log: () => undefined },
    );
    const processor = createProcessor({
      settings: { ...env.settings, sessionIdleMs: 3000, sweepIntervalMs: 300 },
      ...clients,
      log: () => undefined,
    });
    await processor.start();
    running.push({ processor, clients });
  }
});

afterAll(async () => {
  for (const { processor, clients } of running) {
    await processor.close();
    await clients.close();
  }
  await env?.cleanup();
});

describe('two processors', () => {
  it('share the partitions and finalise each session once', async () => {
    const joined = await waitUntil(async () => {
      const { groups } = await env.admin.describeGroups([env.settings.group]);
      return groups.every((g) => g.state === 'Stable' && g.members.length === 2);
    }, 60_000);
    expect(joined).toBe(true);

    await env.produce(
      Array.from({ length: SESSIONS }, (_, i) =>
        realisticSession(newSession('pk_two'), 10, T0 + i * 10),
      ).flat(),
    );
    const finalised = await waitUntil(
      async () =>
        (await count('SELECT countIf(NOT is_live) AS n FROM {db}.sessions FINAL')) === SESSIONS,
      90_000,
      500,
    );
    expect(finalised).toBe(true);

    // Both did part of the work.
    for (const { processor } of running) {
      expect(await metricSum(processor, 'gosight_processor_rows_inserted_total')).toBeGreaterThan(
        0,
      );
    }
    // Each session was finalised by exactly one sweeper, exactly once.
    const byReplica = await Promise.all(
      running.map(({ processor }) =>
        metricSum(processor, 'gosight_processor_sessions_finalised_total'),
      ),
    );
    expect(byReplica[0]! + byReplica[1]!).toBe(SESSIONS);
    expect(
      await count(
        'SELECT count() AS n FROM (SELECT session_id, countIf(NOT is_live) AS finals FROM {db}.sessions GROUP BY session_id) WHERE finals != 1',
      ),
    ).toBe(0);
    expect(await count('SELECT sum(event_count) AS n FROM {db}.sessions FINAL')).toBe(
      SESSIONS * 10,
    );
    expect((await env.redis.keys(`${env.settings.redisPrefix}{*}s:*`)).length).toBe(0);
    console.log(`sessions finalised per replica: ${byReplica.join(' + ')}`);
  });
});
