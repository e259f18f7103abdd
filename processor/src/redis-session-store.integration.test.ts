import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../test/services';
import { createRedisSessionStore } from './redis-session-store';
import { enrichedEvent, newSession } from './testing/enriched-builder';
import { describeSessionStore } from './testing/session-store-suite';

/** A store on the test Redis under a key prefix of its own; `cleanup` deletes its keys. */
async function openStore(name: string) {
  const redis = new Redis(serviceEnv().redisUrl);
  await redis.ping();
  const prefix = `test:${name}:${uniqueSuffix()}:`;
  const store = createRedisSessionStore({
    redis,
    prefix,
    stateTtlSeconds: 600,
    tombstoneTtlSeconds: 600,
  });
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

describe('redis session store: text that crosses the script as JSON', () => {
  it('keeps quotes, backslashes, NUL and emoji exactly, and a lone surrogate as U+FFFD', async () => {
    const { store, cleanup } = await openStore('store-text');
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
});
