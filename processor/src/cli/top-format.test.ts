import { describe, expect, it } from 'vitest';
import { inPlace } from './top-command';
import { durationLabel, formatTopFrame, printable, rate, type TopFrame } from './top-format';

const at = (iso: string) => Date.parse(iso);

const frame: TopFrame = {
  now: at('2026-12-02T19:20:35Z'),
  windowMs: 10_000,
  by: 'path',
  projects: ['pk_demo'],
  lag: {
    kind: 'groups',
    groups: [
      { group: 'gosight-processor', topic: 'gosight.events.raw', total: 0 },
      { group: 'gosight-processor-dlq', topic: 'gosight.events.dlq', total: 3 },
    ],
  },
  windows: [
    {
      start: at('2026-12-02T19:20:30Z'),
      end: at('2026-12-02T19:20:40Z'),
      events: 10,
      perSecond: 2,
      current: true,
      rows: [
        { key: '/', events: 6 },
        { key: '/cart.html', events: 4 },
      ],
    },
    {
      start: at('2026-12-02T19:20:20Z'),
      end: at('2026-12-02T19:20:30Z'),
      events: 0,
      perSecond: 0,
      current: false,
      rows: [],
    },
    {
      start: at('2026-12-02T19:20:10Z'),
      end: at('2026-12-02T19:20:20Z'),
      events: 1234,
      perSecond: 123.4,
      current: false,
      rows: [{ key: '', events: 1234 }],
    },
  ],
};

describe('formatTopFrame', () => {
  it('prints the header, the lag of each group and one block per window', () => {
    expect(formatTopFrame(frame)).toEqual([
      'gosight top · events by path · 10s windows of event time · project pk_demo · 2026-12-02 19:20:35 UTC',
      'lag      gosight-processor 0 (gosight.events.raw) · gosight-processor-dlq 3 (gosight.events.dlq)',
      '',
      'WINDOW (UTC)         EVENTS  EVENTS/S  PATH        COUNT  SHARE',
      '19:20:30-19:20:40 *      10       2.0  /               6    60%',
      '                                       /cart.html      4    40%',
      '19:20:20-19:20:30         0       0.0  -',
      '19:20:10-19:20:20      1234       123  (empty)      1234   100%',
      '',
      '* still filling: events/s over the part that has passed',
    ]);
  });

  it('says why there is no lag, or why it could not be read', () => {
    const none = formatTopFrame({ ...frame, lag: { kind: 'none', reason: 'no Kafka' } });
    expect(none[1]).toBe('lag      n/a: no Kafka');
    const failed = formatTopFrame({ ...frame, lag: { kind: 'error', message: 'Kafka: refused' } });
    expect(failed[1]).toBe('lag      unavailable: Kafka: refused');
  });

  it('shows the ClickHouse error instead of the table when the query failed', () => {
    const lines = formatTopFrame({ ...frame, windows: undefined, error: 'connect ECONNREFUSED' });
    expect(lines.slice(3)).toEqual(['ClickHouse: connect ECONNREFUSED']);
  });

  it('puts the date in the window labels when the windows span days', () => {
    const lines = formatTopFrame({
      ...frame,
      now: at('2026-12-03T00:00:05Z'),
      windows: [
        {
          ...frame.windows![1]!,
          start: at('2026-12-02T23:59:50Z'),
          end: at('2026-12-03T00:00:00Z'),
        },
        {
          ...frame.windows![1]!,
          start: at('2026-12-03T00:00:00Z'),
          end: at('2026-12-03T00:00:10Z'),
        },
      ],
    });
    expect(lines[4]).toMatch(/^12-02 23:59-12-03 00:00 +0/);
  });
});

describe('printable', () => {
  it('turns control characters into ? so a stored path cannot drive the terminal', () => {
    expect(printable('/x\u001b[2J\u009b\n')).toBe('/x?[2J??');
  });

  it('cuts long values and names the empty one', () => {
    expect(printable('/'.padEnd(60, 'a'))).toHaveLength(48);
    expect(printable('/'.padEnd(60, 'a')).endsWith('…')).toBe(true);
    expect(printable('')).toBe('(empty)');
  });
});

describe('labels', () => {
  it('writes windows as the flags do and rates with one decimal below 100', () => {
    expect(durationLabel(10_000)).toBe('10s');
    expect(durationLabel(90_000)).toBe('1m30s');
    expect(durationLabel(86_400_000)).toBe('1d');
    expect(rate(4.25)).toBe('4.3');
    expect(rate(1234.6)).toBe('1235');
  });
});

describe('inPlace', () => {
  it('redraws from the top left, clearing each line end and what is below', () => {
    expect(inPlace(['ab', 'c'])).toBe('\u001b[Hab\u001b[K\nc\u001b[K\n\u001b[J');
  });

  it('does not cut for a terminal of unknown size', () => {
    expect(inPlace(['ab'], { columns: 0, rows: 0 })).toBe('\u001b[Hab\u001b[K\n\u001b[J');
  });

  it('cuts lines to the terminal width and the frame to its height', () => {
    expect(inPlace(['abcdef', 'g', 'h'], { columns: 3, rows: 3 })).toBe(
      '\u001b[Habc\u001b[K\ng\u001b[K\n\u001b[J',
    );
  });
});
