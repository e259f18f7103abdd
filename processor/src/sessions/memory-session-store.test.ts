import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-session-store';
import type { SessionState } from './session-store';
import { describeSessionStore } from '../testing/session-store-suite';
import { enrichedEvent, newSession } from '../testing/enriched-builder';

describeSessionStore('memory', () => {
  const store = createMemorySessionStore({ tombstoneTtlMs: 60_000 });
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describe('memory session store snapshot', () => {
  it('restores counters, seen ids and tombstones from a snapshot', async () => {
    const store = createMemorySessionStore({ tombstoneTtlMs: 60_000 });
    const a = newSession('pk_snap');
    const b = newSession('pk_snap');
    const view = enrichedEvent(a, 'page_view', {}, { ts: 1000, url: 'https://x.test/' });
    await store.apply([
      view,
      enrichedEvent(b, 'page_view', {}, { ts: 1000, url: 'https://x.test/' }),
    ]);
    const [claimB] = (await store.claimIdle(0, 60_000, 10)).filter(
      (s) => s.sessionId === b.sessionId,
    );
    expect(await store.release(claimB as NonNullable<typeof claimB>)).toBe(true);

    const copy = createMemorySessionStore({ tombstoneTtlMs: 60_000, snapshot: store.snapshot() });
    const [replayed] = await copy.apply([view]);
    expect(replayed).toMatchObject({ kind: 'live', changed: false, state: { pageCount: 1 } });
    const [late] = await copy.apply([
      enrichedEvent(
        b,
        'click',
        { selector: '#x', tag: 'a', x: 0, y: 0, vx: 0, vy: 0 },
        { ts: 2000, url: 'https://x.test/' },
      ),
    ]);
    expect(late).toMatchObject({ kind: 'closed', sessionId: b.sessionId });
  });
});

describe('memory session store, version-1 snapshots', () => {
  // Written by the store before it folded with session-fold.ts (one session claimed, one closed).
  const v1 = readFileSync(new URL('./fixtures/sessions-snapshot-v1.json', import.meta.url), 'utf8');
  const old = JSON.parse(v1) as { sessions: [string, { state: SessionState; seen: string[] }][] };
  const [, oldA] = old.sessions[0] as [string, { state: SessionState; seen: string[] }];
  const a = { projectId: 'pk_v1', sessionId: 'sess-a', anonId: 'anon-a', userId: null };
  const b = { projectId: 'pk_v1', sessionId: 'sess-b', anonId: 'anon-b', userId: null };

  it('reads a version-1 snapshot into the same sessions, counted ids and tombstones', async () => {
    const store = createMemorySessionStore({
      tombstoneTtlMs: 60_000,
      snapshot: v1,
      clock: () => 1_700_000_100_000,
    });
    const [claimed] = await store.claimIdle(0, 0, 10); // its lease has long expired
    const { version, ...rest } = oldA.state;
    expect(claimed).toEqual({ ...rest, version: expect.any(Number) as number });
    expect(claimed?.version).toBeGreaterThan(version);

    const again = await store.apply([
      enrichedEvent(
        a,
        'page_view',
        {},
        { ts: 1000, url: 'https://x.test/a', eventId: oldA.seen[0] as string },
      ),
    ]);
    expect(again[0]).toMatchObject({ kind: 'live', changed: false, state: { eventCount: 3 } });
    const earlier = await store.apply([
      enrichedEvent(a, 'page_view', {}, { ts: 500, url: 'https://x.test/first' }),
    ]);
    expect(earlier[0]).toMatchObject({
      kind: 'live',
      changed: true,
      state: { eventCount: 4, pageCount: 2, startedAt: 500, entryPath: '/first', endedAt: 3000 },
    });
    const late = await store.apply([
      enrichedEvent(b, 'page_view', {}, { ts: 2000, url: 'https://x.test/b' }),
    ]);
    expect(late[0]).toMatchObject({ kind: 'closed', sessionId: 'sess-b' });
  });

  it('writes version 2, and refuses a version it does not know', () => {
    const store = createMemorySessionStore({ tombstoneTtlMs: 60_000, snapshot: v1 });
    expect(JSON.parse(store.snapshot())).toMatchObject({ v: 2 });
    expect(() =>
      createMemorySessionStore({
        tombstoneTtlMs: 60_000,
        snapshot: v1.replace('"v": 1', '"v": 9'),
      }),
    ).toThrow(/version 9/);
  });
});
