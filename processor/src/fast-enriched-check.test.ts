import { describe, expect, it } from 'vitest';
import { checkEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { tallyAgreement, type Verdict } from '../../schema/src/fixtures/mutation';
import { fastEnrichedEvent } from './fast-enriched-check';
import { enrichedEvent, newSession, realisticSession } from './testing/enriched-builder';

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

/** Besides the shared mutations: the envelope is flat, so only the payload and its props nest. */
const MUTATIONS = {
  extraValues: [{ __proto__: null, a: 1 }],
  nested: ['payload', 'payload.props'],
};

function agree(input: unknown): Verdict {
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
    const tally = tallyAgreement(seeds(), agree, { count: 20_000, prngSeed: 4, ...MUTATIONS });
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
