import { describe, expect, it } from 'vitest';
import { LIMITS, checkEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { fastEnrichedEvent } from './fast-enriched-check';
import { enrichedEvent, newSession, realisticSession } from './testing/enriched-builder';

/** A small seeded PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ts = Date.UTC(2026, 10, 22, 12);
const url = 'https://shop.example.com/p?x=1';
const s = newSession('pk_fast', { userId: 'u_1' });

/** Valid events covering every type and every optional payload field. */
function seeds(): EnrichedEvent[] {
  const o = { ts, url };
  return [
    ...realisticSession(newSession('pk_fast'), 60, ts),
    enrichedEvent(s, 'page_view', {}, o),
    enrichedEvent(
      s,
      'page_view',
      { nav: 'bfcache', utm_term: 't', utm_content: 'c', utm_source: 'a' },
      o,
    ),
    enrichedEvent(
      s,
      'js_error',
      { message: 'm', source: url, line: 1, col: 0, kind: 'unhandledrejection' },
      o,
    ),
    enrichedEvent(s, 'web_vitals', { name: 'CLS', value: 0.01 }, o),
    enrichedEvent(s, 'web_vitals', { name: 'INP', value: 120_000, rating: 'poor' }, o),
    enrichedEvent(s, 'web_vitals', { name: 'TTFB', value: 0 }, o),
    enrichedEvent(s, 'web_vitals', { name: 'FCP', value: 33.3, rating: 'needs-improvement' }, o),
    enrichedEvent(s, 'custom', { name: 'n' }, o),
    enrichedEvent(s, 'custom', { name: 'n', props: { a: 'x', b: 1.5, c: true, d: null } }, o),
    enrichedEvent(
      s,
      'click',
      { x: -5, y: 0, vx: 0, vy: 0, selector: 's', tag: 't', href: '', dead: false },
      o,
    ),
    enrichedEvent(s, 'page_leave', { time_on_page_ms: 0, max_scroll: 100 }, o),
  ];
}

const long = (n: number) => 'x'.repeat(n);
const LENGTHS = [
  0, 1, 8, 16, 35, 36, 64, 65, 128, 129, 256, 257, 512, 513, 1024, 1025, 2048, 2049, 4096, 4097,
];
const TRICKY: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1,
  1.5,
  100,
  101,
  255,
  1e21,
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  LIMITS.maxCoordinate,
  LIMITS.maxCoordinate + 1,
  LIMITS.maxTimeOnPageMs + 1,
  600_000,
  600_001,
  120_001,
  '',
  'x',
  '1',
  'load',
  'poor',
  'error',
  'LCP',
  'CLS',
  'page_view',
  'click',
  'custom',
  '😀'.repeat(20),
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0c720648-ff5d-4dfb-abbf-b6bd08c09289',
  '0C720648-FF5D-4DFB-ABBF-B6BD08C09289',
  '0c720648-ff5d-0dfb-abbf-b6bd08c09289',
  '0c720648-ff5d-9dfb-abbf-b6bd08c09289',
  '0c720648-ff5d-4dfb-cbbf-b6bd08c09289',
  '{0c720648-ff5d-4dfb-abbf-b6bd08c09289}',
  '0c720648ff5d4dfbabbfb6bd08c09289',
  [],
  {},
  { name: 'LCP', value: 1 },
  { a: 1 },
  { __proto__: null, a: 1 },
  ...LENGTHS.map(long),
];
const UNKNOWN_KEYS = ['extra', '__proto__', 'constructor', 'toString', 'props', 'name', 'payload'];

function keysOf(o: Record<string, unknown>): string[] {
  return Object.keys(o);
}

/** One random mutation of a deep copy of `event` (as JSON.parse would give it). */
function mutate(event: EnrichedEvent, rnd: () => number): unknown {
  const e = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const steps = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < steps; i++) {
    const payload = e.payload as Record<string, unknown> | undefined;
    const props =
      payload && typeof payload === 'object' && payload.props && typeof payload.props === 'object'
        ? (payload.props as Record<string, unknown>)
        : undefined;
    const target =
      rnd() < 0.45 || !payload || typeof payload !== 'object'
        ? e
        : props && rnd() < 0.4
          ? props
          : payload;
    const action = rnd();
    if (action < 0.7) {
      const key =
        rnd() < 0.9 && keysOf(target).length > 0 ? pickOf(keysOf(target)) : pickOf(UNKNOWN_KEYS);
      Object.defineProperty(target, key, {
        value: structuredClone(pickOf(TRICKY)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (action < 0.85 && keysOf(target).length > 0) {
      delete target[pickOf(keysOf(target))];
    } else {
      Object.defineProperty(target, pickOf(UNKNOWN_KEYS), {
        value: structuredClone(pickOf(TRICKY)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  // Most inputs come from JSON.parse; also try some as built objects.
  return rnd() < 0.8 ? JSON.parse(JSON.stringify(e)) : e;
}

function agree(input: unknown): 'fast' | 'zod-ok' | 'zod-rejects' {
  const copy = structuredClone(input);
  const fast = fastEnrichedEvent(input);
  const zod = checkEnrichedEvent(copy);
  if (fast === undefined) return zod.ok ? 'zod-ok' : 'zod-rejects';
  // One-sided promise: accepted by the fast path ⇒ accepted by zod, with an equal value
  // and a byte-identical payload column.
  expect(zod.ok, JSON.stringify(input)).toBe(true);
  if (!zod.ok) return 'zod-rejects';
  expect(fast).toStrictEqual(zod.value);
  expect(JSON.stringify(fast.payload)).toBe(JSON.stringify(zod.value.payload));
  return 'fast';
}

describe('fast enriched-event check', () => {
  it('takes every valid seed event, with the value zod returns', () => {
    for (const event of seeds()) {
      expect(agree(JSON.parse(JSON.stringify(event)))).toBe('fast');
    }
  });

  it('payload keys come out in the schema order, whatever the input order', () => {
    const event = enrichedEvent(
      s,
      'click',
      { tag: 'b', selector: 'a', vy: 4, vx: 3, y: 2, x: 1, rage: true },
      { ts, url },
    );
    expect(agree(JSON.parse(JSON.stringify(event)))).toBe('fast');
  });

  it('never accepts what zod rejects, nor returns another value (20k random mutations)', () => {
    const rnd = prng(4);
    const base = seeds();
    const tally = { fast: 0, 'zod-ok': 0, 'zod-rejects': 0 };
    for (let i = 0; i < 20_000; i++) {
      tally[agree(mutate(base[i % base.length] as EnrichedEvent, rnd))] += 1;
    }
    // The mutations must reach both verdicts often, or the test proves little.
    expect(tally.fast).toBeGreaterThan(1000);
    expect(tally['zod-rejects']).toBeGreaterThan(5000);
  });

  it('leaves non-objects and odd prototypes to zod', () => {
    for (const input of [null, 1, 'x', [], Object.create(null) as object, new Map()]) {
      expect(fastEnrichedEvent(input)).toBeUndefined();
    }
  });
});
