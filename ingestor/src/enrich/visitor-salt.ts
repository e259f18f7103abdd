/**
 * The secret salt of cookieless visitor ids (issue 16): random, one per UTC day,
 * kept in memory — or in Redis when instances must agree — and never written
 * next to events. At midnight UTC the day's key changes and the old salt is
 * forgotten (Redis expires it at that instant), so yesterday's visitor ids can
 * no longer be recomputed from an IP and a user agent.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const DAY_MS = 86_400_000;

/** Today's salt (UTC day of `now`); rejects only when the shared store cannot be reached. */
export interface VisitorSalt {
  saltAt(now: number): Promise<Buffer>;
}

/**
 * A salt per UTC day; with `redis`, shared by every instance through `SET NX` + `GET`
 * under `prefix` + the day number.
 */
export function createVisitorSalt(redis?: Redis, prefix = 'gosight:visitor-salt:'): VisitorSalt {
  let day = -1;
  let salt = Buffer.alloc(0);
  return {
    async saltAt(now) {
      const today = Math.floor(now / DAY_MS);
      if (today === day) return salt;
      let next = randomBytes(32);
      if (redis) {
        const key = `${prefix}${today}`;
        // the first instance to ask sets the day's salt; it vanishes at the next midnight UTC
        await redis.set(key, next.toString('base64'), 'PXAT', (today + 1) * DAY_MS, 'NX');
        const stored = await redis.get(key);
        if (!stored) throw new Error('the visitor salt vanished from Redis');
        next = Buffer.from(stored, 'base64');
      }
      // the previous day's salt is dropped here (memory) or has expired (Redis)
      day = today;
      salt = next;
      return salt;
    },
  };
}
