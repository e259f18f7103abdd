/**
 * The session store semantics (session-store.ts) as one vitest suite, run
 * against every adapter: Redis (redis-session-store.integration.test.ts) and
 * the in-memory store (memory-session-store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SessionState, SessionStore } from '../sessions/session-store';
import { enrichedEvent, newSession, type SessionContext } from './enriched-builder';

/** Registers the shared semantic tests for one adapter; `open` gives a fresh, empty store. */
export function describeSessionStore(
  name: string,
  open: () => Promise<{ store: SessionStore; cleanup: () => Promise<void> }>,
): void {
  const T = 1_700_000_000_000;
  const scripted = (s: SessionContext) => [
    enrichedEvent(
      s,
      'page_view',
      { utm_source: 'news' },
      { ts: T, url: 'https://shop.test/?utm_source=news' },
    ),
    enrichedEvent(
      s,
      'click',
      { selector: '#a', tag: 'button', x: 1, y: 1, vx: 1, vy: 1, rage: true },
      { ts: T + 1000, url: 'https://shop.test/' },
    ),
    enrichedEvent(
      s,
      'click',
      { selector: '#b', tag: 'button', x: 1, y: 1, vx: 1, vy: 1, dead: true },
      { ts: T + 2000, url: 'https://shop.test/' },
    ),
    enrichedEvent(s, 'page_view', {}, { ts: T + 3000, url: 'https://shop.test/cart' }),
    enrichedEvent(s, 'scroll', { depth: 60 }, { ts: T + 4000, url: 'https://shop.test/cart' }),
    enrichedEvent(
      s,
      'js_error',
      { message: 'boom', kind: 'error' },
      { ts: T + 5000, url: 'https://shop.test/cart' },
    ),
  ];

  describe(`session store semantics: ${name}`, () => {
    it('folds events into counters, flags, entry and exit', async () => {
      const { store, cleanup } = await open();
      try {
        const s = newSession('pk_suite');
        const [outcome] = await store.apply(scripted(s));
        expect(outcome?.kind).toBe('live');
        if (outcome?.kind !== 'live') return;
        expect(outcome.changed).toBe(true);
        expect(outcome.state).toMatchObject({
          sessionId: s.sessionId,
          eventCount: 6,
          pageCount: 2,
          clickCount: 2,
          errorCount: 1,
          maxScrollDepth: 60,
          hasRageClick: true,
          hasDeadClick: true,
          entryPath: '/',
          exitPath: '/cart',
          startedAt: T,
          endedAt: T + 5000,
          utmSource: 'news',
        });
        expect(await store.liveCount()).toBe(1);
      } finally {
        await cleanup();
      }
    });

    it('counts a replayed event once and gives the same state for any arrival order', async () => {
      const { store, cleanup } = await open();
      try {
        const s = newSession('pk_suite');
        const events = scripted(s);
        await store.apply(events.slice(3));
        await store.apply(events.slice(0, 4));
        const [again] = await store.apply(events);
        expect(again?.kind).toBe('live');
        if (again?.kind !== 'live') return;
        expect(again.changed).toBe(false);
        expect(again.state).toMatchObject({
          eventCount: 6,
          pageCount: 2,
          entryPath: '/',
          exitPath: '/cart',
        });
      } finally {
        await cleanup();
      }
    });

    it('raises the version on every change', async () => {
      const { store, cleanup } = await open();
      try {
        const s = newSession('pk_suite');
        const events = scripted(s);
        const versions: number[] = [];
        for (const event of events) {
          const [o] = await store.apply([event]);
          if (o?.kind === 'live') versions.push(o.state.version);
        }
        expect(versions).toHaveLength(6);
        for (let i = 1; i < versions.length; i++) {
          expect(versions[i]).toBeGreaterThan(versions[i - 1] ?? Infinity);
        }
      } finally {
        await cleanup();
      }
    });

    it('hands an idle session to one claim, releases it, then ignores its late events', async () => {
      const { store, cleanup } = await open();
      try {
        const s = newSession('pk_suite');
        const events = scripted(s);
        const [applied] = await store.apply(events.slice(0, 5));
        const claimed = await store.claimIdle(0, 60_000, 10);
        expect(claimed.map((c) => c.sessionId)).toEqual([s.sessionId]);
        expect(claimed[0]?.version).toBeGreaterThan(
          applied?.kind === 'live' ? applied.state.version : Infinity,
        );
        expect(await store.claimIdle(0, 60_000, 10)).toEqual([]);
        expect(await store.release(claimed[0] as SessionState)).toBe(true);
        expect(await store.liveCount()).toBe(0);
        const [late] = await store.apply(events.slice(5));
        expect(late).toMatchObject({ kind: 'closed', sessionId: s.sessionId, ignored: 1 });
      } finally {
        await cleanup();
      }
    });

    it('keeps a session that changed after its claim (release refuses)', async () => {
      const { store, cleanup } = await open();
      try {
        const s = newSession('pk_suite');
        const events = scripted(s);
        await store.apply(events.slice(0, 5));
        const [claim] = await store.claimIdle(0, 60_000, 10);
        expect(claim).toBeDefined();
        const [reopened] = await store.apply(events.slice(5));
        expect(reopened).toMatchObject({ kind: 'live', changed: true });
        expect(await store.release(claim as SessionState)).toBe(false);
        expect(await store.liveCount()).toBe(1);
        // A stale claim comes back after the lease; here it was reopened, so it is live and idle again.
        const again = await store.claimIdle(0, 60_000, 10);
        expect(again[0]?.errorCount).toBe(1);
      } finally {
        await cleanup();
      }
    });
  });
}
