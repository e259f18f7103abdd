import { describe, expect, it } from 'vitest';
import { dedupToken } from './dedup-token';
import type { Delivery } from './event-source';

/** A delivery of offsets `from`..`from + count - 1`, appended at `at` (one ms apart). */
const delivery = (from: number, count: number, at: number, incarnation?: string): Delivery => ({
  topic: 'gosight.events.raw',
  partition: 0,
  ...(incarnation === undefined ? {} : { incarnation }),
  messages: Array.from({ length: count }, (_, i) => ({
    key: null,
    value: Buffer.from(`{"n":${from + i}}`),
    offset: String(from + i),
    timestamp: at + i,
  })),
  heartbeat: () => Promise.resolve(),
  isActive: () => true,
});

describe('dedupToken', () => {
  it('is the same for a redelivery of the same messages (a retried insert is dropped)', () => {
    const at = 1_700_000_000_000;
    expect(dedupToken('events', [delivery(100, 50, at, 'e1')])).toBe(
      dedupToken('events', [delivery(100, 50, at, 'e1')]),
    );
  });

  it('differs for the same offsets of another bus incarnation (a reset data/bus)', () => {
    const at = 1_700_000_000_000;
    expect(dedupToken('events', [delivery(0, 50, at, 'epoch-a')])).not.toBe(
      dedupToken('events', [delivery(0, 50, at, 'epoch-b')]),
    );
  });

  it('differs for the same offsets written at another time (a recreated Kafka topic)', () => {
    expect(dedupToken('events', [delivery(0, 50, 1_700_000_000_000)])).not.toBe(
      dedupToken('events', [delivery(0, 50, 1_700_000_360_000)]),
    );
  });

  it('differs between kinds and between offset ranges', () => {
    const at = 1_700_000_000_000;
    const tokens = new Set([
      dedupToken('events', [delivery(0, 50, at)]),
      dedupToken('sessions', [delivery(0, 50, at)]),
      dedupToken('events', [delivery(0, 49, at)]),
    ]);
    expect(tokens.size).toBe(3);
  });
});
