import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { createVisitorSalt } from './visitor-salt';

const redis = new Redis(serviceEnv().redisUrl);
afterAll(async () => {
  await redis.quit();
});

test('instances share the day salt through Redis, which forgets it at midnight UTC', async () => {
  const prefix = `gosight-test:visitor-salt:${uniqueSuffix()}:`;
  // a day to come, so that its key has not expired yet
  const day = Math.floor(Date.now() / 86_400_000) + 1;
  const midnight = (day + 1) * 86_400_000;
  const [a, b] = [createVisitorSalt(redis, prefix), createVisitorSalt(redis, prefix)];
  const [fromA, fromB] = await Promise.all([a.saltAt(midnight - 1000), b.saltAt(midnight - 2000)]);
  expect(fromA).toEqual(fromB);
  expect(fromA).toHaveLength(32);
  // the key expires exactly at the next midnight UTC: nothing keeps yesterday's salt
  expect(await redis.pexpiretime(`${prefix}${day}`)).toBe(midnight);
  expect(await redis.keys(`${prefix}*`)).toEqual([`${prefix}${day}`]);
  await redis.del(`${prefix}${day}`);
});
