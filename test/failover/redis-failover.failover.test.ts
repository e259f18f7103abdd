/**
 * Failover 3: the Redis primary dies (kill -9) under load and its replica is promoted
 * (REPLICAOF NO ONE); the old primary comes back as the new primary's replica, and the
 * processors are pointed at the new primary and restarted — the procedure deploy/README.md
 * gives. With GOSIGHT_REDIS_WAIT_REPLICAS=1 no batch is committed
 * to Kafka before the replica has its session writes, so what the primary took with it is
 * read from Kafka again: events and every session row stay exact.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failoverCluster, failoverStateDir, FAILOVER_PORTS } from './failover-topology';
import { startRedisProcess, type RedisProcess } from './redis-process';
import { createScenario, type Scenario, expectExact } from './scenario';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const cluster = failoverCluster();
let primary: RedisProcess;
let replica: RedisProcess;
let scenario: Scenario;

async function replicationInfo(url: string): Promise<Record<string, string>> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const text = await client.info('replication');
    return Object.fromEntries(
      text
        .split('\r\n')
        .filter((l) => l.includes(':'))
        .map((l) => l.split(':', 2) as [string, string]),
    );
  } finally {
    client.disconnect();
  }
}

beforeAll(async () => {
  const dir = failoverStateDir();
  primary = await startRedisProcess(FAILOVER_PORTS.redisPrimary, `${dir}/redis-primary`);
  replica = await startRedisProcess(FAILOVER_PORTS.redisReplica, `${dir}/redis-replica`, [
    '--replicaof',
    '127.0.0.1',
    String(FAILOVER_PORTS.redisPrimary),
  ]);
  for (let i = 0; i < 100; i++) {
    if ((await replicationInfo(replica.url)).master_link_status === 'up') break;
    await sleep(100);
  }
  scenario = await createScenario({
    name: 'redis',
    brokers: cluster.brokers,
    redisUrl: primary.url,
    processorEnv: { GOSIGHT_REDIS_WAIT_REPLICAS: '1', GOSIGHT_REDIS_WAIT_TIMEOUT_MS: '2000' },
  });
});

afterAll(async () => {
  await scenario?.cleanup();
  await primary?.stop();
  await replica?.stop();
});

describe('the Redis primary lost under load, its replica promoted', () => {
  it('keeps events flowing and session rows exact', async () => {
    const log = (line: string) => console.log(`[redis failover] ${line}`);
    expect((await replicationInfo(replica.url)).master_link_status).toBe('up');
    const { load, processors } = await scenario.startServicesAndLoad({ giveUpMs: 90_000 });
    await sleep(8_000);
    const before = await replicationInfo(primary.url);
    const t0 = Date.now();
    await primary.kill();
    log(
      `kill -9 of the primary (replication offset ${before.master_repl_offset}, replica at ${before.slave0 ?? '?'})`,
    );

    // The procedure: promote the replica, point REDIS_URL at it, restart the processors.
    const promote = new Redis(replica.url, { maxRetriesPerRequest: 1 });
    expect(await promote.replicaof('NO', 'ONE')).toBe('OK');
    promote.disconnect();
    const role = (await replicationInfo(replica.url)).role;
    log(`replica promoted (REPLICAOF NO ONE, role now ${role}) ${since(t0)} after the kill`);
    // WAIT needs a replica again: the old primary's machine comes back as one (empty, it
    // resyncs in full from the new primary).
    primary = await startRedisProcess(
      FAILOVER_PORTS.redisPrimary,
      `${failoverStateDir()}/redis-primary`,
      ['--replicaof', '127.0.0.1', String(FAILOVER_PORTS.redisReplica)],
    );
    for (let i = 0; i < 100; i++) {
      if ((await replicationInfo(primary.url)).master_link_status === 'up') break;
      await sleep(100);
    }
    log(`old primary back as the new one's replica ${since(t0)} after the kill`);
    scenario.setRedisUrl(replica.url);
    const codes = await Promise.all(processors.map((p) => p.stop()));
    log(`processors stopped (exit ${codes.join(', ')}) ${since(t0)} after the kill`);
    await Promise.all(processors.map((p) => p.start()));
    log(`processors started on ${replica.url} ${since(t0)} after the kill`);
    await sleep(10_000);
    const report = await load.stop();
    const counts = await scenario.verify(report, log);

    expect(role).toBe('master');
    expectExact(counts, report);
  });
});
