import { describe, expect, it } from 'vitest';
import { SESSION_SHARDS, sessionKeys, shardOf } from './session-keys';

/** The hash tag Redis Cluster hashes: the text between the first '{' and the next '}'. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('session keys', () => {
  it('puts every key of a session under one hash tag, even with braces in the session id', () => {
    for (const member of ['["pk","s1"]', '["pk","{evil}"]', '["pk","}{"]']) {
      const tags = new Set(Object.values(sessionKeys('gosight:', member)).map(hashTag));
      expect(tags).toEqual(new Set([String(shardOf(member))]));
    }
  });

  it('spreads sessions over every shard', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(shardOf(JSON.stringify(['pk', `s_${i}`])));
    expect(seen.size).toBe(SESSION_SHARDS);
  });
});
