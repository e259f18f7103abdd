import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-session-store';
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
