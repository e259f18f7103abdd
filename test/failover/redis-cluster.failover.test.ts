/**
 * The session store on a 3-master Redis Cluster (Debian's redis-server, --cluster-enabled
 * yes, on 127.0.0.1:17001-17003): the store's semantics suite against both adapters, every
 * key of a session in one hash slot with the sessions spread over all masters, and the
 * processor (REDIS_CLUSTER_NODES) under beacon load keeping session rows exact.
 */
import { spawn } from 'node:child_process';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCachedSessionStore } from '../../processor/src/sessions/cached-session-store';
import { createRedisSessionStore } from '../../processor/src/sessions/redis-session-store';
import { sessionKeys } from '../../processor/src/sessions/session-keys';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';
import { describeSessionStore } from '../../processor/src/testing/session-store-suite';
import { uniqueSuffix } from '../services';
import { failoverCluster, failoverStateDir } from './failover-topology';
import { startRedisProcess, type RedisProcess } from './redis-process';
import { createScenario, type Scenario, expectExact } from './scenario';

const PORTS = [17001, 17002, 17003];
const NODES = PORTS.map((p) => `127.0.0.1:${p}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const masters: RedisProcess[] = [];
const clients: Cluster[] = [];

function cluster(): Cluster {
  const client = new Cluster(
    PORTS.map((port) => ({ host: '127.0.0.1', port })),
    { enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 1 } },
  );
  clients.push(client);
  return client;
}

function redisCli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', () => resolve({ code: 127, output: 'redis-cli not found' }));
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Deletes the keys under `prefix` on every master. */
async function deletePrefix(client: Cluster, prefix: string): Promise<void> {
  for (const node of client.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await node.del(key);
    } while (cursor !== '0');
  }
}

beforeAll(async () => {
  const dir = failoverStateDir();
  for (const port of PORTS) {
    masters.push(
      await startRedisProcess(port, `${dir}/redis-cluster-${port}`, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '5000',
      ]),
    );
  }
  const created = await redisCli([
    '--cluster',
    'create',
    ...NODES,
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  if (created.code !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.output}`);
  const probe = cluster();
  for (let i = 0; i < 100; i++) {
    const info = await probe.cluster('INFO').catch(() => '');
    if (String(info).includes('cluster_state:ok')) break;
    await sleep(200);
  }
  console.log(`[redis cluster] 3 masters on ${NODES.join(', ')}`);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const m of masters) await m.stop();
});

function openStore(kind: 'lua' | 'cached') {
  const redis = cluster();
  const prefix = `test:cluster-${kind}:${uniqueSuffix()}:`;
  const options = { redis, prefix, stateTtlSeconds: 600, tombstoneTtlSeconds: 600 };
  const store =
    kind === 'cached' ? createCachedSessionStore(options) : createRedisSessionStore(options);
  return Promise.resolve({
    store,
    cleanup: async () => {
      await deletePrefix(redis, prefix);
      await store.close();
    },
  });
}

describeSessionStore('redis cluster', () => openStore('lua'));
describeSessionStore('redis cluster, cached in the processor', () => openStore('cached'));

describe('sessions on a 3-master Redis Cluster', () => {
  it('keeps every key of a session in one slot and spreads sessions over all masters', async () => {
    const { store, cleanup } = await openStore('cached');
    const redis = clients[clients.length - 1] as Cluster;
    try {
      const sessions = Array.from({ length: 300 }, () => newSession('pk_cluster'));
      const events = sessions.flatMap((s, i) => realisticSession(s, 5, Date.UTC(2026, 11, 2) + i));
      await store.apply(events);
      expect(await store.liveCount()).toBe(300);
      const claimed = await store.claimIdle(0, 60_000, 1000);
      expect(claimed).toHaveLength(300);
      for (const state of claimed.slice(0, 50)) expect(await store.release(state)).toBe(true);
      expect(await store.liveCount()).toBe(0);

      // Every key of one session: one slot.
      const member = JSON.stringify(['pk_cluster', sessions[0]?.sessionId]);
      const keys = sessionKeys('x:', member);
      const slots = new Set(
        await Promise.all(
          Object.values(keys).map((k: string) => redis.call('CLUSTER', 'KEYSLOT', k)),
        ),
      );
      expect(slots.size).toBe(1);
      // And the sessions on every master.
      const perMaster = await Promise.all(redis.nodes('master').map((n) => n.dbsize()));
      console.log(`[redis cluster] keys per master after 300 sessions: ${perMaster.join(', ')}`);
      expect(perMaster.filter((n) => n > 0)).toHaveLength(3);
    } finally {
      await cleanup();
    }
  });
});

describe('the processor on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await createScenario({
      name: 'rediscluster',
      brokers: failoverCluster().brokers,
      redisUrl: '',
      processorEnv: { REDIS_CLUSTER_NODES: NODES.join(',') },
      // Nothing fails in this scenario: no gap in a session's stream beyond a client retry.
      sessionIdleSeconds: 15,
    });
  });
  afterAll(async () => {
    await scenario?.cleanup();
  });

  it('keeps events and session rows exact under load', async () => {
    const log = (line: string) => console.log(`[redis cluster] ${line}`);
    const { load } = await scenario.startServicesAndLoad({ concurrency: 60, giveUpMs: 60_000 });
    await sleep(15_000);
    const report = await load.stop();
    const counts = await scenario.verify(report, log);
    expectExact(counts, report);
    expect(counts.finalisedByProcessors).toBe(counts.sessions);
  });
});
