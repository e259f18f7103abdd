import { describe, expect, it } from 'vitest';
import { checkEnrichedEvent } from '@gosight/schema';
import { toEventRow } from './event-row';
import { enrichedEvent, newSession, realisticSession } from '../testing/enriched-builder';

const session = newSession('pk_rows');
const ts = Date.UTC(2026, 10, 22, 12);
const url = 'https://shop.example.com/products/42?x=1';

describe('events rows', () => {
  it('the test builder makes events the schema accepts', () => {
    for (const event of realisticSession(session, 200, ts)) {
      expect(checkEnrichedEvent(JSON.parse(JSON.stringify(event)))).toMatchObject({ ok: true });
    }
  });

  it('lifts the click payload into typed columns and keeps the whole payload as JSON', () => {
    const payload = {
      x: 1,
      y: 2,
      vx: 3,
      vy: 4,
      selector: 'a#go',
      tag: 'a',
      text: 'Go',
      href: '/go',
      rage: true,
    };
    const row = toEventRow(enrichedEvent(session, 'click', payload, { ts, url }));
    expect(row).toMatchObject({
      type: 'click',
      ts,
      client_ts: ts - 7,
      path: '/products/42',
      selector: 'a#go',
      element_tag: 'a',
      element_text: 'Go',
      href: '/go',
      is_rage_click: true,
      is_dead_click: false,
      name: '',
      value: null,
      scroll_depth: 0,
    });
    expect(JSON.parse(row.payload)).toEqual(payload);
  });

  it('lifts utm, vitals, scroll depth, errors and custom names', () => {
    const pv = toEventRow(
      enrichedEvent(
        session,
        'page_view',
        { utm_source: 'n', utm_medium: 'm', utm_campaign: 'c' },
        { ts, url },
      ),
    );
    expect(pv).toMatchObject({ utm_source: 'n', utm_medium: 'm', utm_campaign: 'c' });
    const vital = toEventRow(
      enrichedEvent(session, 'web_vitals', { name: 'CLS', value: 0.12 }, { ts, url }),
    );
    expect(vital).toMatchObject({ name: 'CLS', value: 0.12 });
    expect(
      toEventRow(enrichedEvent(session, 'scroll', { depth: 55 }, { ts, url })).scroll_depth,
    ).toBe(55);
    expect(
      toEventRow(
        enrichedEvent(session, 'page_leave', { time_on_page_ms: 1, max_scroll: 90 }, { ts, url }),
      ).scroll_depth,
    ).toBe(90);
    const error = toEventRow(
      enrichedEvent(
        session,
        'js_error',
        { message: 'boom', error_type: 'Error', stack: 's' },
        { ts, url },
      ),
    );
    expect(error).toMatchObject({ error_message: 'boom', error_type: 'Error', error_stack: 's' });
    expect(toEventRow(enrichedEvent(session, 'custom', { name: 'signup' }, { ts, url })).name).toBe(
      'signup',
    );
  });

  it("takes a custom event's numeric props.value as its value, and nothing else", () => {
    const custom = (props: Record<string, string | number | boolean | null>) =>
      toEventRow(enrichedEvent(session, 'custom', { name: 'purchase', props }, { ts, url })).value;
    expect(custom({ product_id: 'p1', value: 49.9 })).toBe(49.9);
    expect(custom({ value: '49.90' })).toBeNull();
    expect(custom({ amount: 10 })).toBeNull();
  });
});
