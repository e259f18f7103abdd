import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enrichedEvent } from './enriched';
import { UUID_PATTERN } from './fast-payload';
import { fastWireEvent } from './fast-wire-check';
import { tallyAgreement, type Verdict } from './fixtures/mutation';
import { validEvents } from './fixtures/valid-events';
import { LIMITS, VITAL_NAMES } from './limits';
import type { WireEvent } from './types';
import { checkWireEvent } from './validate';
import { wireEvent } from './wire';

type Obj = Record<string, unknown>;

const ts = Date.UTC(2026, 10, 22, 12);
const url = 'https://shop.example.com/p/42?utm_medium=mail&utm_source=news';
let n = 0;
const nextId = () => `7d3f2a10-5b6c-4e8d-9f01-${(++n).toString(16).padStart(12, '0')}`;

/** An event in the SDK's key order (tracker.ts `_emit`), every optional field set. */
function sdkEvent(type: string, payload: unknown, over: Obj = {}): Obj {
  return {
    id: nextId(),
    type,
    ts,
    session_id: 's_3f9c2a',
    anon_id: 'a_77b1e0',
    user_id: 'user-42',
    url,
    referrer: 'https://www.google.com/',
    title: 'Blue mug — Example shop',
    viewport: { w: 1280, h: 720 },
    screen: { w: 1920, h: 1080 },
    lang: 'en-GB',
    payload,
    ...over,
  };
}

/** An event with only the required fields. */
function bareEvent(type: string, payload: unknown, over: Obj = {}): Obj {
  return { id: nextId(), type, ts, session_id: 's', anon_id: 'a', url, payload, ...over };
}

const props50 = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, i]));

/** Valid events covering every type, every optional field and the limits' edges. */
function seeds(): Obj[] {
  const events: Obj[] = [
    sdkEvent('page_view', { nav: 'load', utm_medium: 'mail', utm_source: 'news' }),
    // The fixture's payload of each type, in the SDK's envelope (key order included).
    ...Object.values(validEvents).map((e) => sdkEvent(e.type, e.payload)),
    sdkEvent('page_view', { nav: 'bfcache' }, { user_id: undefined, referrer: '' }),
    sdkEvent('page_view', {
      nav: 'push',
      utm_source: 'a',
      utm_medium: 'b',
      utm_campaign: 'c',
      utm_term: 'd',
      utm_content: 'e',
    }),
    sdkEvent('page_view', {}),
    bareEvent('page_view', undefined),
    bareEvent('page_view', {}, { ts: LIMITS.minTimestampMs, url: 'HTTPS://A.B/' }),
    bareEvent(
      'page_view',
      { nav: 'hash' },
      { ts: LIMITS.maxTimestampMs, url: 'http://localhost:8080' },
    ),
    bareEvent('scroll', { depth: 0 }, { id: '00000000-0000-0000-0000-000000000000' }),
    bareEvent('scroll', { depth: 100 }, { id: 'FFFFFFFF-FFFF-8FFF-BFFF-FFFFFFFFFFFF' }),
    sdkEvent('scroll', { depth: 75 }, { session_id: 'x'.repeat(64), anon_id: 'A-b_9' }),
    // With href, in SDK order (href before rage: capture/clicks.ts); the fixture's click has none.
    sdkEvent('click', {
      x: 100,
      y: 2400,
      vx: 100,
      vy: 300,
      selector: 'main > button#buy',
      tag: 'button',
      text: 'Buy',
      href: 'https://shop.example.com/cart',
      rage: true,
      dead: true,
    }),
    sdkEvent('click', { x: -5, y: 0, vx: 0, vy: 0, selector: 's', tag: 't' }),
    sdkEvent(
      'click',
      { x: LIMITS.maxCoordinate, y: -LIMITS.maxCoordinate, vx: 1, vy: 1, selector: 'a', tag: 'a' },
      { viewport: { w: 0, h: LIMITS.maxPixels }, screen: { w: LIMITS.maxPixels, h: 0 } },
    ),
    bareEvent('js_error', { message: '', kind: 'unhandledrejection' }),
    sdkEvent('custom', { name: 'signup' }, { user_id: 'u'.repeat(LIMITS.maxUserId) }),
    bareEvent('custom', { name: 'c'.repeat(LIMITS.maxCustomName), props: props50 }),
    bareEvent('page_leave', { time_on_page_ms: LIMITS.maxTimeOnPageMs, max_scroll: 0 }),
    bareEvent('page_view', {}, { url: `https://a.b/${'x'.repeat(LIMITS.maxUrl - 12)}` }),
  ];
  for (const name of VITAL_NAMES) {
    events.push(sdkEvent('web_vitals', { name, value: 12.5 }));
    events.push(bareEvent('web_vitals', { name, value: 0, rating: 'good' }));
  }
  events.push(sdkEvent('web_vitals', { name: 'INP', value: 120_000, rating: 'poor' }));
  events.push(sdkEvent('web_vitals', { name: 'CLS', value: 100, rating: 'needs-improvement' }));
  // What the SDK sends is JSON: undefined fields are absent.
  return events.map((e) => JSON.parse(JSON.stringify(e)) as Obj);
}

const long = (len: number) => 'x'.repeat(len);

/** Besides the shared mutations: the envelope's viewport and screen, timestamps and URLs. */
const MUTATIONS = {
  extraValues: [
    undefined,
    LIMITS.maxPixels,
    LIMITS.maxPixels + 1,
    LIMITS.minTimestampMs,
    LIMITS.minTimestampMs - 1,
    LIMITS.maxTimestampMs,
    LIMITS.maxTimestampMs + 1,
    ts + 0.5,
    's s',
    'a.b',
    'é',
    'javascript:x',
    'http://',
    'https://',
    'HTTPS://A.B/',
    'http://a b/',
    'http://[::1]:3000/x',
    'ftp://a.b/',
    ' https://a.b/',
    'https://a.b/' + long(LIMITS.maxUrl - 12),
    'https://a.b/' + long(LIMITS.maxUrl - 11),
    { w: 1, h: 2 },
    { h: 2, w: 1 },
    { w: 1, h: 2, d: 3 },
    { w: -1, h: 0 },
    { w: 1 },
  ],
  extraKeys: ['user_id', 'viewport', 'w', 'h', 'd', 'nav', 'rating'],
  nested: ['payload', 'payload.props', 'viewport', 'screen'],
};

function agree(input: unknown): Verdict {
  const before = structuredClone(input);
  const fast = fastWireEvent(input);
  // It never changes its input. (node's deep equality: an own "constructor" key, which
  // the mutations make, confuses vitest's type check.)
  expect(isDeepStrictEqual(input, before)).toBe(true);
  const zod = checkWireEvent(input);
  if (fast === undefined) return zod.ok ? 'zod-ok' : 'zod-rejects';
  // One-sided promise: taken by the fast path ⇒ accepted by zod, with an equal value
  // and the same JSON (key order included: the enriched event's payload is written as is).
  expect(zod.ok, JSON.stringify(input)).toBe(true);
  if (!zod.ok) return 'zod-rejects';
  expect(fast).toStrictEqual(zod.value);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.value));
  return 'fast';
}

describe('fast wire-event check', () => {
  it('takes every valid seed event, with the value zod returns', () => {
    for (const event of seeds()) expect(agree(event), JSON.stringify(event)).toBe('fast');
  });

  it('gives a page_view without a payload the default {}', () => {
    const event = bareEvent('page_view', undefined) as WireEvent;
    expect(fastWireEvent(JSON.parse(JSON.stringify(event)))?.payload).toStrictEqual({});
  });

  it('keeps an optional field present as undefined, like zod', () => {
    const event = sdkEvent('scroll', { depth: 1 }, { user_id: undefined, lang: undefined });
    expect(agree(event)).toBe('fast');
    expect(fastWireEvent(event)).toHaveProperty('lang', undefined);
  });

  it('puts keys in the schema order, whatever the input order', () => {
    const event = sdkEvent(
      'click',
      { tag: 'b', selector: 'a', vy: 4, vx: 3, y: 2, x: 1, rage: true },
      { viewport: { h: 2, w: 1 }, screen: { h: 4, w: 3 } },
    );
    expect(agree(JSON.parse(JSON.stringify(event)))).toBe('fast');
  });

  it('never accepts what zod rejects, nor returns another value (20k random mutations)', () => {
    const tally = tallyAgreement(seeds(), agree, { count: 20_000, prngSeed: 7, ...MUTATIONS });
    // The mutations must reach both verdicts often, or the test proves little.
    // (zod-ok: mostly unknown keys in payload, viewport or screen, which zod strips.)
    expect(tally.fast).toBeGreaterThan(1000);
    expect(tally['zod-ok']).toBeGreaterThan(500);
    expect(tally['zod-rejects']).toBeGreaterThan(5000);
  });

  it('leaves non-objects and odd prototypes to zod', () => {
    const [event] = seeds();
    for (const input of [
      null,
      1,
      'x',
      [],
      new Map(),
      Object.assign(Object.create(null) as object, event),
      Object.create(event ?? null) as object,
      { ...event, payload: Object.assign(Object.create(null) as object, { nav: 'load' }) },
      { ...event, viewport: Object.assign(Object.create(null) as object, { w: 1, h: 1 }) },
    ]) {
      expect(fastWireEvent(input)).toBeUndefined();
    }
  });

  it('leaves symbol keys in custom props to zod (its record rejects them)', () => {
    const props = { a: 1, [Symbol('k')]: 2 };
    const event = sdkEvent('custom', { name: 'n', props });
    expect(fastWireEvent(event)).toBeUndefined();
    expect(checkWireEvent(event).ok).toBe(false);
  });

  it('checks what fast-payload.ts assumes of the schemas', () => {
    // One payload check serves the wire and the enriched event: same zod objects.
    const wire = new Map<string, unknown>(
      wireEvent.options.map((o) => [o.shape.type.value, o.shape.payload]),
    );
    for (const o of enrichedEvent.options) {
      const w = wire.get(o.shape.type.value);
      expect(w instanceof z.ZodDefault ? w.unwrap() : w).toBe(o.shape.payload);
    }
    expect(UUID_PATTERN.source).toBe(z.regexes.uuid().source);
  });
});
