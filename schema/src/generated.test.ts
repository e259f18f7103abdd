/**
 * The integrity test of the generated fast paths (in the manner of fastify's
 * `test:validator:integrity`): the files in generated/ are what
 * scripts/generate.ts produces from the schemas now, and the generated
 * validators answer as zod does on valid inputs and on 20k mutations of them.
 */
import { readFileSync } from 'node:fs';
import { inspect, isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../scripts/generated-files';
import { fastEnrichedEvent, fastWireBatch, fastWireEvent } from './contract/fast-checks';
import { tallyAgreement, type Verdict } from './contract/fixtures/mutation';
import { validEvents } from './contract/fixtures/valid-events';
import { LIMITS, VITAL_NAMES } from './contract/limits';
import type { EnrichedEvent, ValidWireEvent, WireEvent } from './contract/types';
import {
  checkEnrichedEvent,
  checkWireBatch,
  checkWireEvent,
  type Checked,
} from './contract/validate';
import { withWireDefaults } from './contract/wire';

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

/**
 * The promise of a generated check: it takes `input` exactly when zod accepts
 * it and returns an equal value (nothing stripped), and then returns `input`
 * itself; it never changes its input.
 */
function agreement<T>(
  fast: (input: unknown) => T | undefined,
  zod: (input: unknown) => Checked<T>,
  defaults: (input: unknown) => unknown = (input) => input,
) {
  return (input: unknown): Verdict => {
    const before = structuredClone(input);
    const taken = fast(input);
    // node's deep equality: an own "constructor" key, which the mutations make,
    // confuses vitest's type check.
    expect(isDeepStrictEqual(input, before)).toBe(true);
    const checked = zod(input);
    // (structuredClone: zod's records have a null prototype.)
    const same = (a: unknown, b: unknown) =>
      isDeepStrictEqual(structuredClone(a), structuredClone(b));
    const unchanged = checked.ok && same(defaults(input), checked.value);
    if ((taken !== undefined) !== unchanged) {
      expect.fail(
        `${taken ? 'taken' : 'left'}, zod ${checked.ok ? 'takes' : 'rejects'}: ${inspect(input, { depth: 5 })}`,
      );
    }
    if (taken === undefined) return checked.ok ? 'zod-ok' : 'zod-rejects';
    expect(same(taken, checked.ok ? checked.value : undefined)).toBe(true);
    return 'fast';
  };
}

const agreeWire = agreement<ValidWireEvent>(fastWireEvent, checkWireEvent, withWireDefaults);

describe('generated files', () => {
  it('are what scripts/generate.ts produces from the schemas now', async () => {
    const dir = new URL('./generated/', import.meta.url);
    for (const [name, text] of Object.entries(await generatedFiles())) {
      const committed = readFileSync(new URL(name, dir), 'utf8');
      expect(committed === text, `${name} is stale: run \`npm run generate -w schema\``).toBe(true);
    }
  });
});

describe('generated wire-event check', () => {
  it('takes every valid seed event as it is', () => {
    for (const event of seeds()) expect(agreeWire(event), JSON.stringify(event)).toBe('fast');
  });

  it('gives a page_view without a payload the default {}', () => {
    const event = bareEvent('page_view', undefined) as WireEvent;
    expect(fastWireEvent(JSON.parse(JSON.stringify(event)))?.payload).toStrictEqual({});
  });

  it('keeps an optional field present as undefined, like zod', () => {
    const event = sdkEvent('scroll', { depth: 1 }, { user_id: undefined, lang: undefined });
    expect(agreeWire(event)).toBe('fast');
  });

  it('leaves an event with an unknown key to zod, which strips it', () => {
    const event = sdkEvent('scroll', { depth: 1, extra: 1 });
    expect(fastWireEvent(event)).toBeUndefined();
    expect(checkWireEvent(event).ok).toBe(true);
  });

  it('refuses a URL that does not parse (the post-check of the refine)', () => {
    expect(agreeWire(sdkEvent('scroll', { depth: 1 }, { url: 'http://a b/' }))).toBe('zod-rejects');
  });

  it('answers as zod on 20k random mutations', () => {
    const tally = tallyAgreement(seeds(), agreeWire, { count: 20_000, prngSeed: 7, ...MUTATIONS });
    // The mutations must reach every verdict often, or the test proves little.
    // (zod-ok: mostly unknown keys in payload, viewport or screen, which zod strips.)
    expect(tally.fast).toBeGreaterThan(1000);
    expect(tally['zod-ok']).toBeGreaterThan(500);
    expect(tally['zod-rejects']).toBeGreaterThan(5000);
  }, 60_000);
});

const envelopes = (): Obj[] => [
  { project: 'pk_a', sent_at: ts, events: [{}] },
  { project: 'p'.repeat(LIMITS.maxProjectKey), sent_at: ts, events: seeds(), meta: {} },
  { project: 'pk_a', sent_at: ts, events: [{ a: 1 }], meta: { dropped: 0, sdk: '1.2.3' } },
];

describe('generated envelope check', () => {
  it('answers as zod on 5k random mutations', () => {
    const agree = agreement(fastWireBatch, checkWireBatch);
    const tally = tallyAgreement(envelopes(), agree, {
      count: 5_000,
      prngSeed: 11,
      extraValues: [[{}], [1], Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({}))],
      extraKeys: ['meta', 'dropped', 'sdk', 'events'],
      // Not 'events': a named key on an array is no JSON value.
      nested: ['meta'],
    });
    expect(tally.fast).toBeGreaterThan(300);
    expect(tally['zod-ok']).toBeGreaterThan(100);
    expect(tally['zod-rejects']).toBeGreaterThan(1000);
  }, 60_000);
});

/** A valid wire event as the ingestor enriches it (the shape the processor reads). */
function enriched(event: Obj): Obj {
  const e = withWireDefaults(event) as Obj;
  const size = (v: unknown) => (v ?? { w: 0, h: 0 }) as { w: number; h: number };
  return {
    v: 1,
    event_id: e.id,
    type: e.type,
    project_id: 'pk_a',
    session_id: e.session_id,
    anon_id: e.anon_id,
    user_id: e.user_id ?? null,
    ts: e.ts,
    client_ts: e.ts,
    sent_at: ts,
    received_at: ts + 5,
    url: e.url,
    path: '/p/42',
    referrer: e.referrer ?? '',
    title: e.title ?? '',
    viewport_w: size(e.viewport).w,
    viewport_h: size(e.viewport).h,
    screen_w: size(e.screen).w,
    screen_h: size(e.screen).h,
    lang: e.lang ?? '',
    ip: '203.0.113.0',
    country: 'DE',
    region: 'BE',
    city: 'Berlin',
    user_agent: 'Mozilla/5.0',
    browser: 'Firefox',
    browser_version: '140.0',
    os: 'Linux',
    os_version: '',
    device_type: 'desktop',
    is_bot: false,
    payload: e.payload,
  };
}

describe('generated enriched-event check (for the processor)', () => {
  it('answers as zod on the seeds and 20k random mutations', () => {
    const agree = agreement<EnrichedEvent>(fastEnrichedEvent, checkEnrichedEvent);
    const seeded = seeds().map(enriched);
    for (const event of seeded) expect(agree(event), JSON.stringify(event)).toBe('fast');
    const tally = tallyAgreement(seeded, agree, {
      count: 20_000,
      prngSeed: 13,
      extraValues: [{ __proto__: null, a: 1 }, 'not-a-uuid'],
      extraKeys: ['user_id', 'is_bot'],
      nested: ['payload', 'payload.props'],
    });
    expect(tally.fast).toBeGreaterThan(1000);
    expect(tally['zod-ok']).toBeGreaterThan(500);
    expect(tally['zod-rejects']).toBeGreaterThan(5000);
  }, 60_000);
});
