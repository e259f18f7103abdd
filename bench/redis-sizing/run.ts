/**
 * Redis sizing for the scaling guide (deploy/README.md): how much memory live
 * sessions take, measured with the processor's own session store (the same
 * Lua scripts, key layout and TTLs as production), on a key prefix of its own.
 *
 *   npx tsx bench/redis-sizing/run.ts [--sessions 100000] [--events 20]
 *
 * Creates `--sessions` live sessions of `--events` realistic events each, reads
 * `INFO memory` before and after, then finalises them all (claim + release, as
 * the sweeper does: each leaves a tombstone for 7 days) and measures again,
 * then deletes every key it created. Uses REDIS_URL (default the local
 * 127.0.0.1:6379). The Redis is shared: other clients' writes add noise, so
 * it prints both phases and the per-session figures they imply.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createRedisSessionStore } from '../../processor/src/sessions/redis-session-store';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    events: { type: 'string', default: '20' },
  },
});
const SESSIONS = Number(values.sessions);
const EVENTS = Number(values.events);
const BATCH_SESSIONS = 500;
const prefix = `bench:redis-sizing:${Date.now().toString(36)}:`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
// The processor's settings (processor.ts): 30 min idle → state TTL 2×idle + 1 h, tombstones 7 days.
const store = createRedisSessionStore({
  redis,
  prefix,
  stateTtlSeconds: 2 * 30 * 60 + 3600,
  tombstoneTtlSeconds: 7 * 24 * 3600,
});

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function keysWithPrefix(): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

async function deleteAll(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

try {
  const before = await usedMemory();
  const started = Date.now();
  const startTs = Date.now() - 3_600_000;
  for (let done = 0; done < SESSIONS; done += BATCH_SESSIONS) {
    const batch = Math.min(BATCH_SESSIONS, SESSIONS - done);
    const events = [];
    for (let i = 0; i < batch; i++)
      events.push(...realisticSession(newSession('pk_sizing'), EVENTS, startTs));
    await store.apply(events);
  }
  const live = await usedMemory();
  const liveKeys = await keysWithPrefix();
  const liveSeconds = (Date.now() - started) / 1000;

  // Finalise everything as the sweeper does: claim idle (all are, by event time), release.
  let finalised = 0;
  for (;;) {
    const claimed = await store.claimIdle(0, 60_000, 1000);
    if (claimed.length === 0) break;
    for (const state of claimed) if (await store.release(state)) finalised++;
  }
  const tombstones = await usedMemory();
  const tombstoneKeys = await keysWithPrefix();

  const perLive = (live - before) / SESSIONS;
  const perTombstone = (tombstones - before) / SESSIONS;
  console.log(`redis-sizing: ${SESSIONS} sessions × ${EVENTS} events, prefix ${prefix}`);
  console.log(
    `  created in ${liveSeconds.toFixed(1)} s (${Math.round((SESSIONS * EVENTS) / liveSeconds)} events/s through the apply script)`,
  );
  console.log(`  used_memory before         ${mib(before)}`);
  console.log(
    `  live sessions              +${mib(live - before)} (${liveKeys} keys) = ${Math.round(perLive)} B/session`,
  );
  console.log(
    `  after finalising (${finalised}) +${mib(tombstones - before)} (${tombstoneKeys} keys, tombstones kept 7 days) = ${Math.round(perTombstone)} B/session`,
  );
  console.log(`  per 100k live sessions:    ${mib(perLive * 100_000)}`);
  console.log(`  per 100k finalised/7 days: ${mib(perTombstone * 100_000)}`);
} finally {
  await deleteAll();
  console.log(
    `  cleaned up: ${await keysWithPrefix()} keys left with the prefix, used_memory ${mib(await usedMemory())}`,
  );
  await store.close();
}
