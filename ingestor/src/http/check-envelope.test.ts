import { validEvents } from '../../../schema/src/contract/fixtures/valid-events';
import { checkWireBatch, LIMITS } from '@gosight/schema';
import { describe, expect, it } from 'vitest';
import { checkEnvelope } from './check-envelope';

// A small deterministic generator, so a failure reproduces.
let seed = 42;
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
/** `usual` two times in three, else one of `others`: enough valid envelopes to compare both answers. */
const often = <T>(usual: T, others: readonly T[]): T => (random() < 0.67 ? usual : pick(others));

const eventLike = (): unknown =>
  pick<() => unknown>([
    () => pick(Object.values(validEvents)),
    () => ({}),
    () => ({ type: 'nope', nested: { a: [1, { b: null }] } }),
    () => JSON.parse('{"constructor":1}') as unknown,
    () => Object.create(null) as unknown,
    () => null,
    () => 'event',
    () => 7,
    () => true,
    () => [],
    () => [{ id: 1 }],
    () => new Date(0),
  ])();

const events = (): unknown =>
  often<() => unknown>(
    () => Array.from({ length: 1 + Math.floor(random() * 30) }, () => ({ ...validEvents.click })),
    [
      () => Array.from({ length: 1 + Math.floor(random() * 30) }, eventLike),
      () => Array.from({ length: 1 + Math.floor(random() * 30) }, () => ({ ...validEvents.click })),
      () => [],
      () => Array.from({ length: LIMITS.maxEventsPerBatch }, () => ({})),
      () => Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({})),
      () => undefined,
      () => null,
      () => ({ 0: {} }),
      () => 'events',
    ],
  )();

const envelope = (): unknown => {
  const body: Record<string, unknown> = {};
  const project = often<unknown>('pk_a', ['', 'x'.repeat(65), 5, null, undefined, 'pk_b']);
  const sentAt = often<unknown>(Date.UTC(2026, 0, 1), [1.5, '1', 0, Date.UTC(2200, 0, 1)]);
  const meta = often<unknown>(undefined, [
    {},
    { dropped: 0 },
    { dropped: 3, sdk: '1.0' },
    { dropped: -1 },
    { dropped: 1.5 },
    { sdk: 'x'.repeat(33) },
    { dropped: 2, other: true },
    'm',
  ]);
  // Keys in varying order: the first problem must not depend on it.
  const entries: [string, unknown][] = [
    ['project', project],
    ['sent_at', sentAt],
    ['events', events()],
    ['meta', meta],
    ['extra', pick([undefined, 1, { deep: true }])],
  ];
  entries.sort(() => random() - 0.5);
  for (const [key, value] of entries) if (value !== undefined || random() < 0.2) body[key] = value;
  return often<() => unknown>(() => body, [() => null, () => [body], () => 'x'])();
};

describe('checkEnvelope', () => {
  it('answers exactly as checkWireBatch on generated envelopes (valid and invalid)', () => {
    let accepted = 0;
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const body = envelope();
      const expected = checkWireBatch(body);
      const actual = checkEnvelope(body);
      // Taken by the generated validator: the body itself comes back.
      if (actual.ok && actual.value === body) fast++;
      expect(actual.ok).toBe(expected.ok);
      if (expected.ok && actual.ok) {
        accepted++;
        expect({ ...actual.value, events: [] }).toEqual({ ...expected.value, events: [] });
      } else {
        expect(actual).toEqual(expected);
      }
    }
    // The generator must exercise both answers.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(2950);
    expect(fast).toBeGreaterThan(50);
    expect(fast).toBeLessThan(accepted);
  });

  it("takes the SDK's envelope on the fast path", () => {
    const body = {
      project: 'pk_a',
      sent_at: Date.UTC(2026, 0, 1),
      events: [{ ...validEvents.page_view }],
      meta: { dropped: 0 },
    };
    const checked = checkEnvelope(body);
    expect(checked).toEqual({ ok: true, value: body });
    expect(checked.ok && checked.value).toBe(body);
  });
});
