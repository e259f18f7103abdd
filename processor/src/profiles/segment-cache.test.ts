import { describe, expect, it } from 'vitest';
import { createSegmentCache } from './segment-cache';

const T = Date.UTC(2026, 11, 2, 12);

describe('segment cache', () => {
  it('gives the segment as it was at the event time, unknown before the first one', () => {
    const cache = createSegmentCache(10);
    cache.apply('pk', 'u1', 'free', T);
    cache.apply('pk', 'u1', 'premium', T + 60_000);
    expect(cache.segmentAt('pk', 'u1', T - 1)).toBe('unknown');
    expect(cache.segmentAt('pk', 'u1', T)).toBe('free');
    expect(cache.segmentAt('pk', 'u1', T + 59_999)).toBe('free');
    expect(cache.segmentAt('pk', 'u1', T + 60_000)).toBe('premium');
    // An update arriving late (an older time) still takes its place in time.
    cache.apply('pk', 'u1', 'trial', T - 60_000);
    expect(cache.segmentAt('pk', 'u1', T - 1)).toBe('trial');
  });

  it('keeps projects and users apart; no user id or an unknown user reads unknown', () => {
    const cache = createSegmentCache(10);
    cache.apply('pk_a', 'u1', 'vip', T);
    expect(cache.segmentAt('pk_b', 'u1', T)).toBe('unknown');
    expect(cache.segmentAt('pk_a', 'u2', T)).toBe('unknown');
    expect(cache.segmentAt('pk_a', null, T)).toBe('unknown');
  });

  it('is idempotent: the same update twice is one version, and the later of one time wins', () => {
    const cache = createSegmentCache(10);
    cache.apply('pk', 'u1', 'a', T);
    cache.apply('pk', 'u1', 'a', T);
    cache.apply('pk', 'u1', 'b', T);
    expect(cache.segmentAt('pk', 'u1', T)).toBe('b');
    expect(cache.size).toBe(1);
  });

  it('holds at most maxUsers users and a few versions each, forgetting the least recently updated', () => {
    const cache = createSegmentCache(2);
    cache.apply('pk', 'u1', 's1', T);
    cache.apply('pk', 'u2', 's2', T);
    cache.apply('pk', 'u1', 's1b', T + 1); // u1 is now the most recently updated
    cache.apply('pk', 'u3', 's3', T);
    expect(cache.size).toBe(2);
    expect(cache.evicted).toBe(1);
    expect(cache.segmentAt('pk', 'u2', T)).toBe('unknown');
    expect(cache.segmentAt('pk', 'u1', T + 1)).toBe('s1b');
    for (let i = 0; i < 10; i++) cache.apply('pk', 'u3', `v${i}`, T + 1000 * (i + 1));
    // The four newest versions are kept: older times read unknown.
    expect(cache.segmentAt('pk', 'u3', T + 7000)).toBe('v6');
    expect(cache.segmentAt('pk', 'u3', T + 6999)).toBe('unknown');
    expect(() => createSegmentCache(0)).toThrow(/positive integer/);
  });
});
