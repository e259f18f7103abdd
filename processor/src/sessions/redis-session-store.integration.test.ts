import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { createCachedSessionStore } from './cached-session-store';
import { createRedisSessionStore } from './redis-session-store';
import { enrichedEvent, newSession } from '../testing/enriched-builder';
import type { SessionStore } from './session-store';
import { describeSessionStore } from '../testing/session-store-suite';

/** A store on the test Redis under a key prefix of its own; `cleanup` deletes its keys. */
async function openStore(name: string, kind: 'lua' | 'cached' = 'lua') {
  const redis = new Redis(serviceEnv().redisUrl);
  await redis.ping();
  const prefix = `test:${name}:${uniqueSuffix()}:`;
  const options = { redis, prefix, stateTtlSeconds: 600, tombstoneTtlSeconds: 600 };
  const store =
    kind === 'cached' ? createCachedSessionStore(options) : createRedisSessionStore(options);
  return {
    store,
    cleanup: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await store.close();
    },
  };
}

describeSessionStore('redis', () => openStore('store-suite'));
describeSessionStore('redis, cached in the processor', () => openStore('cached-suite', 'cached'));

describe.each(['lua', 'cached'] as const)(
  'redis session store (%s): text that crosses the script as JSON',
  (kind) => {
    it('keeps quotes, backslashes, NUL and emoji exactly, and a lone surrogate as U+FFFD', async () => {
      const { store, cleanup } = await openStore('store-text', kind);
      try {
        const s = newSession('pk_text');
        const url = 'https://shop.test/é?q="a\\b"&z=\u0000&e=\ud83d\ude00';
        const [outcome] = await store.apply([
          enrichedEvent(
            s,
            'page_view',
            { utm_source: 'x\ud800y' },
            { ts: 1_700_000_000_000, url, referrer: 'https://ref.test/\udc00' },
          ),
        ]);
        expect(outcome?.kind).toBe('live');
        if (outcome?.kind !== 'live') return;
        expect(outcome.state.entryUrl).toBe(url);
        expect(outcome.state.utmSource).toBe('x\ufffdy');
        expect(outcome.state.referrer).toBe('https://ref.test/\ufffd');
      } finally {
        await cleanup();
      }
    });
  },
);

describe('redis session store, cached in the processor: memory is only a cache', () => {
  it('stays exact when another processor or the sweeper changed a session it holds', async () => {
    const redis = new Redis(serviceEnv().redisUrl);
    const prefix = `test:cached-two:${uniqueSuffix()}:`;
    const options = { redis, prefix, stateTtlSeconds: 600, tombstoneTtlSeconds: 600 };
    const a = createCachedSessionStore(options);
    const b = createCachedSessionStore(options);
    const s = newSession('pk_cached');
    const T = 1_700_000_000_000;
    const e = Array.from({ length: 6 }, (_, i) =>
      enrichedEvent(s, i === 0 ? 'page_view' : 'click', i === 0 ? {} : clickPayload, {
        ts: T + i * 1000,
        url: 'https://shop.test/',
      }),
    );
    const count = async (store: SessionStore, events: typeof e) => {
      const [outcome] = await store.apply(events);
      return outcome?.kind === 'live' ? outcome.state.eventCount : outcome?.kind;
    };
    try {
      expect(await count(a, [e[0]!, e[1]!])).toBe(2);
      expect(await count(b, [e[2]!])).toBe(3); // b reads what a wrote
      expect(await count(a, [e[3]!])).toBe(4); // a's copy is stale: read again, fold again
      expect(await count(a, [e[2]!, e[3]!])).toBe(4); // replays count nothing
      const [claimed] = await a.claimIdle(0, 60_000, 10);
      expect(claimed?.eventCount).toBe(4);
      expect(await count(b, [e[4]!])).toBe(5); // the claim raised the version: b reads again
      expect(await a.release(claimed!)).toBe(false); // changed since the claim: not forgotten
      const [again] = await a.claimIdle(0, 60_000, 10);
      expect(again?.eventCount).toBe(5);
      expect(await a.release(again!)).toBe(true);
      expect(await count(b, [e[5]!])).toBe('closed'); // finalised: later events are not counted
      expect(await count(a, [e[0]!])).toBe('closed'); // nor later copies of counted ones
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await a.close();
    }
  });
});

const clickPayload = { selector: '#b', tag: 'button', x: 1, y: 1, vx: 1, vy: 1 };
