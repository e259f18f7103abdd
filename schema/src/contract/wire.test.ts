import { describe, expect, it } from 'vitest';
import { validEvents } from './fixtures/valid-events';
import { LIMITS } from './limits';
import { checkWireBatch, checkWireEvent } from './validate';

type Json = Record<string, unknown>;
const clone = (value: unknown): Json => structuredClone(value) as Json;

/** Applies `mutate` to a copy of the valid event of `type`. */
function variant(type: keyof typeof validEvents, mutate: (e: Json & { payload: Json }) => void) {
  const copy = clone(validEvents[type]) as Json & { payload: Json };
  mutate(copy);
  return copy;
}

describe('wire contract v1: valid events', () => {
  it.each(Object.keys(validEvents))('accepts a valid %s event', (type) => {
    const result = checkWireEvent(validEvents[type as keyof typeof validEvents]);
    expect(result).toMatchObject({ ok: true });
  });

  it('accepts the minimal event (no optional field)', () => {
    const { id, ts, session_id, anon_id, url } = validEvents.page_view;
    const result = checkWireEvent({ id, ts, session_id, anon_id, url, type: 'page_view' });
    expect(result.ok).toBe(true);
  });
});

// Every rule of the contract, each with a value that only that rule refuses.
const cases: [string, Json, string, string][] = [
  ['unknown type', variant('page_view', (e) => (e.type = 'purchase')), 'type', 'invalid_union'],
  ['id not a UUID', variant('page_view', (e) => (e.id = 'abc')), 'id', 'invalid_format'],
  ['ts not an integer', variant('page_view', (e) => (e.ts = 1.5e12 + 0.5)), 'ts', 'invalid_type'],
  [
    'ts before 2020',
    variant('page_view', (e) => (e.ts = Date.UTC(2019, 11, 31))),
    'ts',
    'too_small',
  ],
  ['ts after 2100', variant('page_view', (e) => (e.ts = Date.UTC(2100, 0, 2))), 'ts', 'too_big'],
  ['session_id empty', variant('page_view', (e) => (e.session_id = '')), 'session_id', 'too_small'],
  [
    'session_id too long',
    variant('page_view', (e) => (e.session_id = 's'.repeat(65))),
    'session_id',
    'too_big',
  ],
  [
    'session_id with spaces',
    variant('page_view', (e) => (e.session_id = 'a b')),
    'session_id',
    'invalid_format',
  ],
  ['anon_id missing', variant('page_view', (e) => delete e.anon_id), 'anon_id', 'invalid_type'],
  [
    'user_id too long',
    variant('page_view', (e) => (e.user_id = 'u'.repeat(257))),
    'user_id',
    'too_big',
  ],
  ['user_id empty', variant('page_view', (e) => (e.user_id = '')), 'user_id', 'too_small'],
  ['url missing', variant('page_view', (e) => delete e.url), 'url', 'invalid_type'],
  ['url not http', variant('page_view', (e) => (e.url = 'javascript:alert(1)')), 'url', 'custom'],
  [
    'url over 2048',
    variant('page_view', (e) => (e.url = `https://x.io/${'a'.repeat(2040)}`)),
    'url',
    'too_big',
  ],
  [
    'referrer over 2048',
    variant('page_view', (e) => (e.referrer = 'r'.repeat(2049))),
    'referrer',
    'too_big',
  ],
  ['title over 512', variant('page_view', (e) => (e.title = 't'.repeat(513))), 'title', 'too_big'],
  [
    'viewport negative',
    variant('page_view', (e) => (e.viewport = { w: -1, h: 10 })),
    'viewport.w',
    'too_small',
  ],
  [
    'screen huge',
    variant('page_view', (e) => (e.screen = { w: 10, h: 100_001 })),
    'screen.h',
    'too_big',
  ],
  ['lang too long', variant('page_view', (e) => (e.lang = 'x'.repeat(36))), 'lang', 'too_big'],
  [
    'nav unknown',
    variant('page_view', (e) => (e.payload.nav = 'teleport')),
    'payload.nav',
    'invalid_value',
  ],
  [
    'utm over 256',
    variant('page_view', (e) => (e.payload.utm_source = 'u'.repeat(257))),
    'payload.utm_source',
    'too_big',
  ],
  [
    'click without payload',
    variant('click', (e) => Reflect.deleteProperty(e, 'payload')),
    'payload',
    'invalid_type',
  ],
  [
    'click x not integer',
    variant('click', (e) => (e.payload.x = 1.5)),
    'payload.x',
    'invalid_type',
  ],
  [
    'click y out of range',
    variant('click', (e) => (e.payload.y = 10_000_001)),
    'payload.y',
    'too_big',
  ],
  [
    'selector over 512',
    variant('click', (e) => (e.payload.selector = 'd'.repeat(513))),
    'payload.selector',
    'too_big',
  ],
  [
    'selector empty',
    variant('click', (e) => (e.payload.selector = '')),
    'payload.selector',
    'too_small',
  ],
  [
    'tag over 32',
    variant('click', (e) => (e.payload.tag = 't'.repeat(33))),
    'payload.tag',
    'too_big',
  ],
  [
    'element text over 256',
    variant('click', (e) => (e.payload.text = 'x'.repeat(257))),
    'payload.text',
    'too_big',
  ],
  [
    'href over 2048',
    variant('click', (e) => (e.payload.href = 'h'.repeat(2049))),
    'payload.href',
    'too_big',
  ],
  [
    'rage not boolean',
    variant('click', (e) => (e.payload.rage = 'yes')),
    'payload.rage',
    'invalid_type',
  ],
  [
    'dead not boolean',
    variant('click', (e) => (e.payload.dead = 1)),
    'payload.dead',
    'invalid_type',
  ],
  [
    'scroll over 100',
    variant('scroll', (e) => (e.payload.depth = 101)),
    'payload.depth',
    'too_big',
  ],
  [
    'scroll negative',
    variant('scroll', (e) => (e.payload.depth = -1)),
    'payload.depth',
    'too_small',
  ],
  [
    'error message over 1024',
    variant('js_error', (e) => (e.payload.message = 'm'.repeat(1025))),
    'payload.message',
    'too_big',
  ],
  [
    'error type over 128',
    variant('js_error', (e) => (e.payload.error_type = 'T'.repeat(129))),
    'payload.error_type',
    'too_big',
  ],
  [
    'stack over 4096',
    variant('js_error', (e) => (e.payload.stack = 's'.repeat(4097))),
    'payload.stack',
    'too_big',
  ],
  [
    'error line negative',
    variant('js_error', (e) => (e.payload.line = -3)),
    'payload.line',
    'too_small',
  ],
  [
    'error col fractional',
    variant('js_error', (e) => (e.payload.col = 2.5)),
    'payload.col',
    'invalid_type',
  ],
  [
    'error kind unknown',
    variant('js_error', (e) => (e.payload.kind = 'warning')),
    'payload.kind',
    'invalid_value',
  ],
  [
    'vital name unknown',
    variant('web_vitals', (e) => (e.payload.name = 'FID')),
    'payload.name',
    'invalid_union',
  ],
  [
    'LCP over 10 min',
    variant('web_vitals', (e) => (e.payload.value = 600_001)),
    'payload.value',
    'too_big',
  ],
  [
    'LCP negative',
    variant('web_vitals', (e) => (e.payload.value = -1)),
    'payload.value',
    'too_small',
  ],
  [
    'FCP over 10 min',
    variant('web_vitals', (e) => Object.assign(e.payload, { name: 'FCP', value: 600_001 })),
    'payload.value',
    'too_big',
  ],
  [
    'TTFB over 10 min',
    variant('web_vitals', (e) => Object.assign(e.payload, { name: 'TTFB', value: 600_001 })),
    'payload.value',
    'too_big',
  ],
  [
    'INP over 2 min',
    variant('web_vitals', (e) => Object.assign(e.payload, { name: 'INP', value: 120_001 })),
    'payload.value',
    'too_big',
  ],
  [
    'CLS over 100',
    variant('web_vitals', (e) => Object.assign(e.payload, { name: 'CLS', value: 100.5 })),
    'payload.value',
    'too_big',
  ],
  [
    'vital value NaN-like string',
    variant('web_vitals', (e) => (e.payload.value = '12')),
    'payload.value',
    'invalid_type',
  ],
  [
    'rating unknown',
    variant('web_vitals', (e) => (e.payload.rating = 'great')),
    'payload.rating',
    'invalid_value',
  ],
  [
    'custom name empty',
    variant('custom', (e) => (e.payload.name = '')),
    'payload.name',
    'too_small',
  ],
  [
    'custom name over 128',
    variant('custom', (e) => (e.payload.name = 'n'.repeat(129))),
    'payload.name',
    'too_big',
  ],
  [
    'custom prop object',
    variant('custom', (e) => (e.payload.props = { a: { b: 1 } })),
    'payload.props.a',
    'invalid_union',
  ],
  [
    'custom prop value over 1024',
    variant('custom', (e) => (e.payload.props = { a: 'v'.repeat(1025) })),
    'payload.props.a',
    'too_big',
  ],
  [
    'custom prop key over 128',
    variant('custom', (e) => (e.payload.props = { ['k'.repeat(129)]: 1 })),
    `payload.props.${'k'.repeat(129)}`,
    'invalid_key',
  ],
  [
    'custom over 50 props',
    variant(
      'custom',
      (e) =>
        (e.payload.props = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i]))),
    ),
    'payload.props',
    'custom',
  ],
  [
    'time on page over a day',
    variant('page_leave', (e) => (e.payload.time_on_page_ms = 86_400_001)),
    'payload.time_on_page_ms',
    'too_big',
  ],
  [
    'max_scroll over 100',
    variant('page_leave', (e) => (e.payload.max_scroll = 150)),
    'payload.max_scroll',
    'too_big',
  ],
];

describe('wire contract v1: every rule refuses its case', () => {
  it.each(cases)('%s', (_name, event, path, rule) => {
    const result = checkWireEvent(event, 7);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.path).toBe(`events.7.${path}`);
    expect(result.problem.rule).toBe(rule);
    expect(result.reason).toContain(`events.7.${path}:`);
  });
});

describe('batch envelope', () => {
  const good = { project: 'pk_demo', sent_at: Date.UTC(2026, 10, 22), events: [validEvents.click] };

  it('accepts a valid batch and keeps events unparsed', () => {
    const result = checkWireBatch({ ...good, meta: { dropped: 3, sdk: '0.1.0' } });
    expect(result.ok).toBe(true);
  });

  const envelopeCases: [string, Json, string, string][] = [
    ['project missing', { ...good, project: undefined }, 'project', 'invalid_type'],
    ['project empty', { ...good, project: '' }, 'project', 'too_small'],
    ['project over 64', { ...good, project: 'p'.repeat(65) }, 'project', 'too_big'],
    ['sent_at before 2020', { ...good, sent_at: 1000 }, 'sent_at', 'too_small'],
    ['no events', { ...good, events: [] }, 'events', 'too_small'],
    [
      `over ${LIMITS.maxEventsPerBatch} events`,
      {
        ...good,
        events: Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => validEvents.scroll),
      },
      'events',
      'too_big',
    ],
    ['event not an object', { ...good, events: [42] }, 'events.0', 'invalid_type'],
    ['meta.dropped negative', { ...good, meta: { dropped: -1 } }, 'meta.dropped', 'too_small'],
  ];
  it.each(envelopeCases)('%s', (_name, batch, path, rule) => {
    const result = checkWireBatch(batch);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ path, rule });
  });
});
