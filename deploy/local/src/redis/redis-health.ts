import { Redis } from 'ioredis';

/** True when a Redis server on host:port answers PING with PONG within about a second. */
export async function isRedisHealthy(host: string, port: number): Promise<boolean> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Connection errors also arrive as 'error' events; without a listener ioredis prints them.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
