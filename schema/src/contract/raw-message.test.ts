import { describe, expect, it } from 'vitest';
import { RAW_MESSAGE_MAX_BYTES, rawMessageEvents, rawMessageValues } from './raw-message';

describe('rawMessageValues', () => {
  it('puts a session’s events in one JSON array, in order', () => {
    const values = rawMessageValues(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(values).toEqual([{ value: '[{"a":1},{"a":2},{"a":3}]', count: 3 }]);
    expect(JSON.parse(values[0]!.value)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('splits past the byte bound, counting UTF-8 bytes, and keeps every event once', () => {
    // 3-byte characters: 30k of them are 90 KB of UTF-8 but only 30k UTF-16 units.
    const big = JSON.stringify({ s: '€'.repeat(30_000) });
    const jsons = Array.from({ length: 7 }, () => big);
    const values = rawMessageValues(jsons);
    expect(values.length).toBeGreaterThan(1);
    for (const { value, count } of values) {
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(RAW_MESSAGE_MAX_BYTES);
      expect((JSON.parse(value) as unknown[]).length).toBe(count);
    }
    expect(values.reduce((n, v) => n + v.count, 0)).toBe(7);
  });

  it('gives an oversized single event a message of its own', () => {
    const huge = JSON.stringify({ s: 'x'.repeat(RAW_MESSAGE_MAX_BYTES) });
    const values = rawMessageValues(['{"a":1}', huge, '{"a":2}']);
    expect(values.map((v) => v.count)).toEqual([1, 1, 1]);
  });

  it('gives no message for no events', () => {
    expect(rawMessageValues([])).toEqual([]);
  });
});

describe('rawMessageEvents', () => {
  it('reads both formats: an array of events and a single event object', () => {
    expect(rawMessageEvents([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(rawMessageEvents({ a: 1 })).toEqual([{ a: 1 }]);
    expect(rawMessageEvents('text')).toEqual(['text']);
    expect(rawMessageEvents([])).toEqual([]);
  });
});
