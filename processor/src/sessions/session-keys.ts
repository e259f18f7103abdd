/**
 * Where a session lives in Redis. Every key of one session — its state, its counted ids,
 * its tombstone — and the live / fin indexes it is listed in share one hash tag, the
 * session's shard `{n}` (n < SESSION_SHARDS), so each Lua script touches one hash slot and
 * the store runs unchanged on a Redis Cluster (REDIS_CLUSTER_NODES): the shards spread over
 * the cluster's masters, a session never spans two. On one Redis the shards are merely
 * 64 small indexes instead of one.
 */

/** How many shards the live / fin indexes are split into (fixed: it is part of the key layout). */
export const SESSION_SHARDS = 64;

/** The shard of a session member (FNV-1a of its UTF-16 code units, mod SESSION_SHARDS). */
export function shardOf(member: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < member.length; i++) {
    hash ^= member.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SESSION_SHARDS;
}

/** The key prefix of one shard: `<prefix>{<shard>}` (the braces make it the hash tag). */
export function shardPrefix(prefix: string, shard: number): string {
  return `${prefix}{${shard}}`;
}

/** The keys of one session, all in its shard's hash slot. */
export interface SessionKeys {
  state: string;
  seen: string;
  closed: string;
  live: string;
  fin: string;
}

/** The Redis keys of session `member` under `prefix`. */
export function sessionKeys(prefix: string, member: string): SessionKeys {
  const p = shardPrefix(prefix, shardOf(member));
  return {
    state: `${p}s:${member}`,
    seen: `${p}seen:${member}`,
    closed: `${p}closed:${member}`,
    live: `${p}live`,
    fin: `${p}fin`,
  };
}
