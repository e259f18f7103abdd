import { Redis } from 'ioredis';
import { serviceEnv, uniqueSuffix } from '../../test/services';
import { createRedisSessionStore } from './redis-session-store';
import { describeSessionStore } from './testing/session-store-suite';

describeSessionStore('redis', async () => {
  const redis = new Redis(serviceEnv().redisUrl);
  await redis.ping();
  const prefix = `test:store-suite:${uniqueSuffix()}:`;
  const store = createRedisSessionStore({
    redis,
    prefix,
    stateTtlSeconds: 600,
    tombstoneTtlSeconds: 600,
  });
  return {
    store,
    async cleanup() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await store.close();
    },
  };
});
