import { describe, expect, it } from 'vitest';
import { toEventRow } from './event-row';
import { EVENT_COLUMNS, eventRowLine } from './event-row-line';
import { enrichedEvent, newSession, realisticSession } from '../testing/enriched-builder';

const ts = Date.UTC(2026, 10, 22, 12);
const url = 'https://shop.example.com/p?q="a\tb"\n\\';

describe('events row line (JSONCompactEachRow)', () => {
  it('has the columns of toEventRow, in order', () => {
    const row = toEventRow(realisticSession(newSession(), 1, ts)[0]!);
    expect(EVENT_COLUMNS).toEqual(Object.keys(row));
  });

  it('holds the values toEventRow gives, for every type and payload', () => {
    const s = newSession('pk_line', { userId: 'u "1"' });
    const events = [
      ...realisticSession(newSession('pk_line'), 200, ts),
      enrichedEvent(s, 'page_view', {}, { ts, url }),
      enrichedEvent(s, 'js_error', { message: 'm\n"x"' }, { ts, url }),
      enrichedEvent(s, 'web_vitals', { name: 'CLS', value: 0.1 }, { ts, url }),
      enrichedEvent(s, 'custom', { name: 'c', props: { a: 'é😀' } }, { ts, url }),
      enrichedEvent(
        s,
        'click',
        { x: 1, y: 2, vx: 3, vy: 4, selector: 'a', tag: 'a', dead: true },
        { ts, url },
      ),
    ];
    const types = new Set<string>();
    for (const event of events) {
      types.add(event.type);
      const row = toEventRow(event) as unknown as Record<string, unknown>;
      expect(JSON.parse(eventRowLine(event))).toEqual(EVENT_COLUMNS.map((c) => row[c]));
    }
    expect(types.size).toBe(7);
  });
});
