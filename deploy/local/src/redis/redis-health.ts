import { Redis } from 'ioredis';
import { isPortOpen } from '../is-port-open';

/** True when a Redis server on host:port answers PING with PONG within about a second. */
export async function isRedisHealthy(host: string, port: number): Promise<boolean> {
  // A refused ioredis connect keeps the process alive ~2 s after disconnect(); a plain
  // TCP probe first keeps `stack:up` and `status` snappy while redis is down.
  if (!(await isPortOpen(host, port))) return false;
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
