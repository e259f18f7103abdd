/**
 * The session store in process memory, for the single-machine mode (no
 * REDIS_URL). Same semantics as the Redis store (session-store.ts); each
 * method runs without an await in between, so it is atomic like a Lua script.
 * The state can be written out (`snapshot()`) and read back
 * (`createMemorySessionStore({ snapshot })`), so a restart does not lose it.
 */
import { flattenHash, foldSession, type SessionHash } from './session-fold';
import type { ApplyOutcome, SessionEvent, SessionState, SessionStore } from './session-store';
import { stateFromHash } from './session-state-codec';

/**
 * A session as the Redis store keeps it: the hash session-fold.ts folds events into (its
 * `version` field included) and the ids already counted.
 */
interface Entry {
  hash: SessionHash;
  seen: string[];
}

/** Version 1 kept a SessionState plus the fold's bookkeeping; read, converted on load. */
interface EntryV1 {
  state: SessionState;
  seen: string[];
  startId: string;
  endId: string;
  touchRank: number;
  touchTs: number;
  touchId: string;
  userTs: number | null;
}

interface SnapshotData {
  v: 2;
  sessions: [string, Entry][];
  live: [string, number][];
  fin: [string, number][];
  closed: [string, { version: number; expiresAt: number }][];
}

type AnySnapshot =
  | SnapshotData
  | (Omit<SnapshotData, 'v' | 'sessions'> & {
      v: 1;
      sessions: [string, EntryV1][];
    });

export interface MemorySessionStoreOptions {
  /** How long a finalised session's tombstone keeps late copies of its events out. */
  tombstoneTtlMs: number;
  /** A string from `snapshot()` to start from (this version's or the one before). */
  snapshot?: string;
  /** Epoch ms; tests move time with it. */
  clock?: () => number;
}

/** An in-memory SessionStore with a `snapshot()` of its whole state. */
export interface MemorySessionStore extends SessionStore {
  /** The whole state as one string, for `createMemorySessionStore({ snapshot })`. */
  snapshot(): string;
}

const member = (projectId: string, sessionId: string) => JSON.stringify([projectId, sessionId]);

/** Creates the in-memory session store (optionally from a snapshot). */
export function createMemorySessionStore(options: MemorySessionStoreOptions): MemorySessionStore {
  const clock = options.clock ?? Date.now;
  const sessions = new Map<string, SessionHash>();
  const seenSets = new Map<string, Set<string>>();
  const live = new Map<string, number>(); // member → last activity, ms
  const fin = new Map<string, number>(); // member → claim time, ms
  const closed = new Map<string, { version: number; expiresAt: number }>();
  let lastUs = 0;

  if (options.snapshot !== undefined) {
    const data = JSON.parse(options.snapshot) as AnySnapshot;
    if (data.v !== 1 && data.v !== 2) {
      throw new Error(
        `session snapshot has version ${String((data as { v: unknown }).v)}; this build reads 1 and 2`,
      );
    }
    for (const [m, entry] of data.sessions) {
      const hash = data.v === 1 ? hashFromV1(entry as EntryV1) : (entry as Entry).hash;
      sessions.set(m, hash);
      seenSets.set(m, new Set(entry.seen));
    }
    for (const [m, t] of data.live) live.set(m, t);
    for (const [m, t] of data.fin) fin.set(m, t);
    for (const [m, c] of data.closed) closed.set(m, c);
  }

  /** Microseconds, strictly increasing within this process. */
  const nowUs = () => (lastUs = Math.max(lastUs + 1, clock() * 1000));

  const isClosed = (m: string) => {
    const tomb = closed.get(m);
    if (tomb === undefined) return false;
    if (tomb.expiresAt > clock()) return true;
    closed.delete(m);
    return false;
  };

  /** Raises the version: never lower than before, and at least now in microseconds. */
  const bump = (hash: SessionHash, us: number) => {
    hash.version = String(Math.max(Number(hash.version ?? 0) + 1, us));
  };

  const stateOf = (hash: SessionHash) => stateFromHash(flattenHash(hash));

  return {
    async apply(events) {
      await Promise.resolve();
      const bySession = new Map<string, SessionEvent[]>();
      for (const event of events) {
        const m = member(event.project_id, event.session_id);
        const list = bySession.get(m);
        if (list) list.push(event);
        else bySession.set(m, [event]);
      }
      const outcomes: ApplyOutcome[] = [];
      for (const [m, list] of bySession) {
        const first = list[0] as SessionEvent;
        if (isClosed(m)) {
          outcomes.push({
            kind: 'closed',
            projectId: first.project_id,
            sessionId: first.session_id,
            ignored: list.length,
          });
          continue;
        }
        const hash = sessions.get(m) ?? {};
        let seen = seenSets.get(m);
        if (!seen) seenSets.set(m, (seen = new Set()));
        const changed = foldSession(hash, seen, list).length > 0;
        if (!changed && !sessions.has(m)) continue;
        if (changed) {
          const us = nowUs();
          bump(hash, us);
          sessions.set(m, hash);
          live.set(m, Math.floor(us / 1000));
          // An event for a session being finalised reopens it; release() then sees the new version.
          fin.delete(m);
        }
        outcomes.push({ kind: 'live', state: stateOf(hash), changed });
      }
      return outcomes;
    },

    async claimIdle(idleMs, leaseMs, limit) {
      await Promise.resolve();
      const us = nowUs();
      const nowMs = Math.floor(us / 1000);
      const picked: string[] = [];
      for (const [m, at] of sortedByScore(live)) {
        if (picked.length >= limit || at > nowMs - idleMs) break;
        picked.push(m);
      }
      for (const [m, at] of sortedByScore(fin)) {
        if (picked.length >= limit || at > nowMs - leaseMs) break;
        picked.push(m);
      }
      const claimed: SessionState[] = [];
      for (const m of picked) {
        live.delete(m);
        const hash = sessions.get(m);
        if (!hash) {
          fin.delete(m);
          continue;
        }
        fin.set(m, nowMs);
        bump(hash, us);
        claimed.push(stateOf(hash));
      }
      return claimed;
    },

    async release(state) {
      await Promise.resolve();
      const m = member(state.projectId, state.sessionId);
      const hash = sessions.get(m);
      if (!hash || Number(hash.version) !== state.version) return false;
      sessions.delete(m);
      seenSets.delete(m);
      fin.delete(m);
      closed.set(m, { version: state.version, expiresAt: clock() + options.tombstoneTtlMs });
      return true;
    },

    async liveCount() {
      await Promise.resolve();
      return live.size;
    },

    snapshot() {
      const now = clock();
      const data: SnapshotData = {
        v: 2,
        sessions: [...sessions].map(([m, hash]) => [
          m,
          { hash, seen: [...(seenSets.get(m) ?? [])] },
        ]),
        live: [...live],
        fin: [...fin],
        closed: [...closed].filter(([, c]) => c.expiresAt > now),
      };
      return JSON.stringify(data);
    },

    async close() {
      await Promise.resolve();
    },
  };
}

function sortedByScore(index: Map<string, number>): [string, number][] {
  return [...index].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
}

/** The hash a version-1 entry stands for (the fields session-fold.ts reads and writes). */
function hashFromV1(e: EntryV1): SessionHash {
  const s = e.state;
  const hash: SessionHash = {
    project: s.projectId,
    session: s.sessionId,
    anon: s.anonId,
    start_ts: String(s.startedAt),
    start_id: e.startId,
    entry_url: s.entryUrl,
    entry_path: s.entryPath,
    browser: s.browser,
    os: s.os,
    device: s.deviceType,
    country: s.country,
    end_ts: String(s.endedAt),
    end_id: e.endId,
    exit_url: s.exitUrl,
    exit_path: s.exitPath,
    referrer: s.referrer,
    utm_source: s.utmSource,
    utm_medium: s.utmMedium,
    utm_campaign: s.utmCampaign,
    events: String(s.eventCount),
    pages: String(s.pageCount),
    clicks: String(s.clickCount),
    errors: String(s.errorCount),
    scroll: String(s.maxScrollDepth),
    version: String(s.version),
  };
  // JSON wrote an unset rank (Infinity) as null; a stored entry always had one.
  if (typeof e.touchRank === 'number') {
    hash.touch_rank = String(e.touchRank);
    hash.touch_ts = String(e.touchTs);
    hash.touch_id = e.touchId;
  }
  if (s.userId !== null && e.userTs !== null) {
    hash.user = s.userId;
    hash.user_ts = String(e.userTs);
  }
  if (s.hasRageClick) hash.rage = '1';
  if (s.hasDeadClick) hash.dead = '1';
  return hash;
}
