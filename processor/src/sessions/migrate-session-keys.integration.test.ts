import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { newSession, realisticSession } from '../testing/enriched-builder';
import { createCachedSessionStore } from './cached-session-store';
import { migrateSessionKeys } from './migrate-session-keys';
import { sessionMember } from './redis-session-store';

const redis = new Redis(serviceEnv().redisUrl, { maxRetriesPerRequest: 1 });
const prefix = `test:migrate-keys:${uniqueSuffix()}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('moving sessions of the old key layout', () => {
  it('keeps their state, idle clock and tombstones, and counts no event twice', async () => {
    // The layout before issue 19, written as the old scripts did.
    const a = newSession('pk_migrate');
    const b = newSession('pk_migrate');
    const [ma, mb] = [
      sessionMember('pk_migrate', a.sessionId),
      sessionMember('pk_migrate', b.sessionId),
    ];
    const events = realisticSession(a, 3, Date.UTC(2026, 11, 2));
    await redis.hset(`${prefix}s:${ma}`, {
      project: 'pk_migrate',
      session: a.sessionId,
      events: '3',
      pages: '1',
      version: '10',
    });
    await redis.sadd(`${prefix}seen:${ma}`, ...events.map((e) => e.event_id));
    await redis.zadd(`${prefix}live`, 1234, ma);
    await redis.set(`${prefix}closed:${mb}`, '7', 'EX', 600);

    const moved = await migrateSessionKeys(redis, prefix);
    expect(moved).toEqual({ live: 1, finalising: 0, tombstones: 1 });
    expect(await migrateSessionKeys(redis, prefix)).toEqual({
      live: 0,
      finalising: 0,
      tombstones: 0,
    });
    expect(
      await redis.exists(
        `${prefix}s:${ma}`,
        `${prefix}seen:${ma}`,
        `${prefix}live`,
        `${prefix}closed:${mb}`,
      ),
    ).toBe(0);

    const store = createCachedSessionStore({
      redis,
      prefix,
      stateTtlSeconds: 600,
      tombstoneTtlSeconds: 600,
    });
    expect(await store.liveCount()).toBe(1);
    // The moved session: a replay of its events changes nothing, a new one counts once.
    const [replayed] = await store.apply(events);
    expect(replayed).toMatchObject({ kind: 'live', changed: false, state: { eventCount: 3 } });
    const [next] = await store.apply(realisticSession(a, 4, Date.UTC(2026, 11, 2)).slice(3));
    expect(next).toMatchObject({ kind: 'live', changed: true, state: { eventCount: 4 } });
    // The tombstone still keeps the finalised session's late events out.
    const [late] = await store.apply(realisticSession(b, 1, Date.UTC(2026, 11, 2)));
    expect(late).toMatchObject({ kind: 'closed' });
  });
});
