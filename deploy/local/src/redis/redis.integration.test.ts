import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../../test/services';

describe('the local Redis', () => {
  const redis = new Redis(serviceEnv().redisUrl, { maxRetriesPerRequest: 1 });
  const key = `local-test:${uniqueSuffix()}`;

  afterAll(async () => {
    await redis.del(key, `${key}:n`);
    await redis.quit();
  });

  it('stores and returns a value with a TTL', async () => {
    expect(await redis.set(key, 'hello', 'EX', 60)).toBe('OK');
    expect(await redis.get(key)).toBe('hello');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('runs Lua scripts atomically (the session store relies on EVAL)', async () => {
    const script = "local n = redis.call('INCRBY', KEYS[1], ARGV[1]); return n * 2";
    expect(await redis.eval(script, 1, `${key}:n`, 5)).toBe(10);
    expect(await redis.eval(script, 1, `${key}:n`, 1)).toBe(12);
  });
});
