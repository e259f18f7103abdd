/**
 * GOSIGHT_REDIS_WAIT_REPLICAS: a session store whose writes count only once a Redis replica
 * has them. Redis replicates asynchronously, so a primary that dies can take acknowledged
 * writes with it; after each batch's session writes (and each release of a finalised
 * session) this asks Redis `WAIT <replicas> <timeout>`, and fewer copies than asked fail the
 * call as a retriable store error. The batch is then not committed to Kafka, so a write the
 * promoted replica never saw is read from Kafka again and folded again (the counted event ids
 * make the replay exact) — see deploy/README.md, "Redis with a replica".
 */
import type { Redis } from 'ioredis';
import { sessionStoreError } from '../errors';
import type { SessionStore } from './session-store';

export interface ReplicaWaitOptions {
  /** the connection the store writes through (WAIT counts that connection's writes) */
  redis: Redis;
  replicas: number;
  timeoutMs: number;
}

/** Wraps `store`: apply and release resolve only once `replicas` replicas have the writes. */
export function withReplicaWait(store: SessionStore, options: ReplicaWaitOptions): SessionStore {
  const { redis, replicas, timeoutMs } = options;
  async function waitForReplicas(what: string): Promise<void> {
    let acknowledged: number;
    try {
      acknowledged = await redis.wait(replicas, timeoutMs);
    } catch (error) {
      throw sessionStoreError(`wait for replicas after ${what}`, error);
    }
    if (acknowledged < replicas) {
      throw sessionStoreError(
        `wait for replicas after ${what}`,
        new Error(
          `${acknowledged} of ${replicas} Redis replicas acknowledged within ${timeoutMs} ms`,
        ),
      );
    }
  }
  return {
    async apply(events) {
      const outcomes = await store.apply(events);
      // Also when this call wrote nothing: a retry after a failed WAIT finds the sessions
      // already folded in memory, and must still not resolve before a replica has them.
      if (events.length > 0) await waitForReplicas('apply session events');
      return outcomes;
    },
    async claimIdle(idleMs, leaseMs, limit) {
      return store.claimIdle(idleMs, leaseMs, limit);
    },
    async release(state) {
      const released = await store.release(state);
      await waitForReplicas('release finalised session');
      return released;
    },
    liveCount: () => store.liveCount(),
    close: () => store.close(),
  };
}
