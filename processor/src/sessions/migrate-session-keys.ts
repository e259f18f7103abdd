/**
 * Upgrade of the Redis key layout (issue 19): before it, a session's keys were
 * `<prefix>s:<m>`, `seen:<m>`, `closed:<m>` and the indexes `<prefix>live` / `fin`; now they
 * carry the session's shard hash tag (session-keys.ts). At start, on one Redis, this moves
 * whatever the old layout still holds into the new one — live sessions keep their state and
 * idle clock, finalised ones their tombstone (and its TTL) — so sessions open across the
 * upgrade are neither lost nor counted twice. Safe to run by several processors at once and
 * again: a session's move is one script, and a moved session is no longer in the old keys.
 */
import type { Redis } from 'ioredis';
import { sessionKeys } from './session-keys';

/** KEYS: old state, old seen, old index, new state, new seen, new index. ARGV: member. */
const MOVE_SESSION = `
local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not score then return 0 end
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    if redis.call('EXISTS', KEYS[i + 3]) == 0 then redis.call('RENAME', KEYS[i], KEYS[i + 3])
    else redis.call('DEL', KEYS[i]) end
  end
end
redis.call('ZADD', KEYS[6], 'NX', score, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`;

/** KEYS: old tombstone, new tombstone. */
const MOVE_TOMBSTONE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('RENAME', KEYS[1], KEYS[2])
else redis.call('DEL', KEYS[1]) end
return 1
`;

const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** Moves sessions of the old key layout under `prefix` into the sharded one; resolves with counts. */
export async function migrateSessionKeys(
  redis: Redis,
  prefix: string,
): Promise<{ live: number; finalising: number; tombstones: number }> {
  const moved = { live: 0, finalising: 0, tombstones: 0 };
  for (const [index, field] of [
    ['live', 'live'],
    ['fin', 'finalising'],
  ] as const) {
    const old = `${prefix}${index}`;
    for (;;) {
      const members = await redis.zrange(old, '0', '999');
      if (members.length === 0) break;
      for (const m of members) {
        const keys = sessionKeys(prefix, m);
        const n = (await redis.eval(
          MOVE_SESSION,
          6,
          `${prefix}s:${m}`,
          `${prefix}seen:${m}`,
          old,
          keys.state,
          keys.seen,
          index === 'live' ? keys.live : keys.fin,
          m,
        )) as number;
        moved[field] += n;
      }
    }
  }
  const closedPrefix = `${prefix}closed:`;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(
      cursor,
      'MATCH',
      `${globEscape(closedPrefix)}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of found) {
      const member = key.slice(closedPrefix.length);
      moved.tombstones += (await redis.eval(
        MOVE_TOMBSTONE,
        2,
        key,
        sessionKeys(prefix, member).closed,
      )) as number;
    }
  } while (cursor !== '0');
  return moved;
}
