/**
 * Many independent commands in as few round trips as the Redis allows. On one Redis: one
 * pipeline. On a Redis Cluster a pipeline may not span hash slots, so each command goes on
 * its own and the client's auto-pipelining groups them per master. Scripts run by EVALSHA;
 * on a cluster a master that does not know the script yet (NOSCRIPT) gets it by EVAL.
 */
import { Cluster, type Redis } from 'ioredis';

/** A single Redis or a Redis Cluster client. */
export type RedisClient = Redis | Cluster;

/** One command: its name and arguments; `lua` is the script of an EVALSHA. */
export interface BatchCommand {
  args: [string, ...(string | number)[]];
  lua?: string;
}

/** True when `redis` is a Redis Cluster client. */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/** Runs `commands`; resolves with `[error, reply]` per command, in order (like pipeline.exec). */
export async function execAll(
  redis: RedisClient,
  commands: readonly BatchCommand[],
): Promise<[Error | null, unknown][]> {
  if (commands.length === 0) return [];
  if (!isCluster(redis)) {
    return (await redis.pipeline(commands.map((c) => c.args)).exec()) ?? [];
  }
  return Promise.all(
    commands.map(async (c): Promise<[Error | null, unknown]> => {
      const [name, ...rest] = c.args;
      try {
        return [null, await redis.call(name, ...rest)];
      } catch (error) {
        if (c.lua !== undefined && String((error as Error).message).includes('NOSCRIPT')) {
          try {
            return [null, await redis.call('eval', c.lua, ...rest.slice(1))];
          } catch (again) {
            return [again as Error, null];
          }
        }
        return [error as Error, null];
      }
    }),
  );
}

/** Loads `lua` where EVALSHA will look for it: the one Redis (a cluster loads it on demand). */
export async function loadScript(redis: RedisClient, lua: string): Promise<void> {
  if (!isCluster(redis)) await redis.script('LOAD', lua);
}
