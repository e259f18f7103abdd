import { describe, expect, it } from 'vitest';
import { segmentColumnQuery, toWindows, topQuery, windowRange } from './top-query';

const at = (iso: string) => Date.parse(iso);

describe('windowRange', () => {
  it('ends with the window that holds now, aligned on the window width', () => {
    const now = at('2026-12-02T19:20:31.500Z');
    expect(windowRange(now, 10_000, 3)).toEqual({
      from: at('2026-12-02T19:20:10Z'),
      to: at('2026-12-02T19:20:40Z'),
    });
    expect(windowRange(now, 60_000, 1)).toEqual({
      from: at('2026-12-02T19:20:00Z'),
      to: at('2026-12-02T19:21:00Z'),
    });
  });
});

describe('topQuery', () => {
  const base = {
    database: 'gosight',
    by: 'path' as const,
    projects: [],
    windowMs: 10_000,
    top: 5,
    from: 1000,
    to: 2000,
  };

  it('groups one row per event by window and key, the top rows per window with its total', () => {
    const { query, params } = topQuery(base);
    expect(query).toContain('FROM gosight.events\n');
    expect(query).toContain('toString(any(path)) AS key');
    expect(query).toContain('GROUP BY project_id, event_id');
    expect(query).toContain('sum(count()) OVER (PARTITION BY window) AS window_events');
    expect(query).toContain('LIMIT {top:UInt32} BY window');
    expect(query).not.toContain('project_id IN');
    expect(params).toEqual({ from: 1000, to: 2000, window_ms: 10_000, top: 5 });
  });

  it('filters projects through a parameter, never by splicing them into the SQL', () => {
    const { query, params } = topQuery({ ...base, by: 'segment', projects: ["pk_a'--", 'pk_b'] });
    expect(query).toContain('project_id IN {projects:Array(String)}');
    expect(query).toContain('toString(any(segment)) AS key');
    expect(query).not.toContain('pk_a');
    expect(params.projects).toEqual(["pk_a'--", 'pk_b']);
  });

  it('asks system.columns for the segment column of the database given', () => {
    const { query, params } = segmentColumnQuery('test_db');
    expect(query).toContain('system.columns');
    expect(query).toContain("name = 'segment'");
    expect(params).toEqual({ database: 'test_db' });
  });
});

describe('toWindows', () => {
  const now = at('2026-12-02T19:20:35Z');
  const w = (iso: string) => at(iso) / 10_000;

  it('gives every window newest first, fills empty ones, and rates the current one by its elapsed part', () => {
    const windows = toWindows(
      [
        { window: w('2026-12-02T19:20:30Z'), key: '/', events: '6', window_events: '10' },
        { window: w('2026-12-02T19:20:30Z'), key: '/cart', events: 4, window_events: 10 },
        { window: String(w('2026-12-02T19:20:10Z')), key: 'x', events: 30, window_events: 45 },
        // Outside the range (a late answer): ignored.
        { window: w('2026-12-02T19:19:00Z'), key: 'y', events: 1, window_events: 1 },
      ],
      { now, windowMs: 10_000, windows: 3 },
    );
    expect(windows).toEqual([
      {
        start: at('2026-12-02T19:20:30Z'),
        end: at('2026-12-02T19:20:40Z'),
        events: 10,
        perSecond: 2, // 10 events over the 5 s that have passed
        current: true,
        rows: [
          { key: '/', events: 6 },
          { key: '/cart', events: 4 },
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
        events: 45,
        perSecond: 4.5,
        current: false,
        rows: [{ key: 'x', events: 30 }],
      },
    ]);
  });

  it('counts at least one second for a window that has just begun', () => {
    const [current] = toWindows(
      [{ window: w('2026-12-02T19:20:30Z'), key: 'a', events: 3, window_events: 3 }],
      { now: at('2026-12-02T19:20:30.200Z'), windowMs: 10_000, windows: 1 },
    );
    expect(current?.perSecond).toBe(3);
  });

  it('orders ties by key so the table does not jump between refreshes', () => {
    const [current] = toWindows(
      [
        { window: w('2026-12-02T19:20:30Z'), key: 'b', events: 2, window_events: 5 },
        { window: w('2026-12-02T19:20:30Z'), key: 'a', events: 2, window_events: 5 },
        { window: w('2026-12-02T19:20:30Z'), key: 'c', events: 1, window_events: 5 },
      ],
      { now, windowMs: 10_000, windows: 1 },
    );
    expect(current?.rows.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});
