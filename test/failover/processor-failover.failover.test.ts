/**
 * Failover 2: stop one of two processors while beacons flow (its partitions move to the
 * other one in the middle of live sessions) and start it again 30 s later (they move back).
 * Events exact, every session row exact, each session finalised once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failoverCluster, failoverStateDir, FAILOVER_PORTS } from './failover-topology';
import { startRedisProcess, type RedisProcess } from './redis-process';
import { createScenario, type Scenario, expectExact } from './scenario';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = failoverCluster();
let redis: RedisProcess;
let scenario: Scenario;

beforeAll(async () => {
  redis = await startRedisProcess(
    FAILOVER_PORTS.redisPrimary,
    `${failoverStateDir()}/redis-processor`,
  );
  scenario = await createScenario({
    name: 'processor',
    brokers: cluster.brokers,
    redisUrl: redis.url,
    // A rebalance pauses a partition for seconds; 15 s idle leaves room and saves a wait.
    sessionIdleSeconds: 15,
  });
});

afterAll(async () => {
  await scenario?.cleanup();
  await redis?.stop();
});

describe('a processor stopped for 30 s under load', () => {
  it('leaves events and session rows exact, each session finalised once', async () => {
    const log = (line: string) => console.log(`[processor failover] ${line}`);
    const {
      load,
      processors: [first],
    } = await scenario.startServicesAndLoad({ giveUpMs: 90_000 });
    await sleep(8_000);
    const t0 = Date.now();
    const code = await first.stop();
    log(
      `stopped ${first.name} (SIGTERM, exit ${String(code)}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; its partitions go to processor-b`,
    );
    await sleep(30_000 - (Date.now() - t0));
    const t1 = Date.now();
    await first.start();
    log(
      `started ${first.name} again 30 s later (ready in ${((Date.now() - t1) / 1000).toFixed(1)} s); the partitions are shared again`,
    );
    await sleep(8_000);
    const report = await load.stop();
    const counts = await scenario.verify(report, log);

    expect(code).toBe(0);
    expectExact(counts, report);
    // processor-a's counter restarted with it, but every session idled out after the restart.
    expect(counts.finalisedByProcessors).toBe(counts.sessions);
  });
});
