/**
 * The session store in process memory, for the single-machine mode (no
 * REDIS_URL). Same semantics as the Redis store (session-store.ts); each
 * method runs without an await in between, so it is atomic like a Lua script.
 * The state can be written out (`snapshot()`) and read back
 * (`createMemorySessionStore({ snapshot })`), so a restart does not lose it.
 */
import type { ApplyOutcome, SessionEvent, SessionState, SessionStore } from './session-store';

/** A session plus the bookkeeping that decides entry, exit and first touch. */
interface Entry {
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
  v: 1;
  sessions: [string, Entry][];
  live: [string, number][];
  fin: [string, number][];
  closed: [string, { version: number; expiresAt: number }][];
}

export interface MemorySessionStoreOptions {
  /** How long a finalised session's tombstone keeps late copies of its events out. */
  tombstoneTtlMs: number;
  /** A string from `snapshot()` to start from. */
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
  const sessions = new Map<string, Entry>();
  const seenSets = new Map<string, Set<string>>();
  const live = new Map<string, number>(); // member → last activity, ms
  const fin = new Map<string, number>(); // member → claim time, ms
  const closed = new Map<string, { version: number; expiresAt: number }>();
  let lastUs = 0;

  if (options.snapshot !== undefined) {
    const data = JSON.parse(options.snapshot) as SnapshotData;
    for (const [m, entry] of data.sessions) {
      sessions.set(m, entry);
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

  function applyOne(entry: Entry | undefined, event: SessionEvent): Entry {
    const facts = factsOf(event);
    const ts = event.ts;
    const id = event.event_id;
    const e: Entry = entry ?? {
      state: emptyState(event.project_id, event.session_id),
      seen: [],
      startId: '',
      endId: '',
      touchRank: Number.POSITIVE_INFINITY,
      touchTs: 0,
      touchId: '',
      userTs: null,
    };
    const s = e.state;
    const fresh = entry === undefined;
    if (fresh || ts < s.startedAt || (ts === s.startedAt && id < e.startId)) {
      s.startedAt = ts;
      e.startId = id;
      s.entryUrl = event.url;
      s.entryPath = event.path;
      s.anonId = event.anon_id;
      s.browser = event.browser;
      s.os = event.os;
      s.deviceType = event.device_type;
      s.country = event.country;
    }
    if (fresh || ts > s.endedAt || (ts === s.endedAt && id > e.endId)) {
      s.endedAt = ts;
      e.endId = id;
      s.exitUrl = event.url;
      s.exitPath = event.path;
    }
    // First touch: the earliest page view (any event until there is one).
    const rank = event.type === 'page_view' ? 0 : 1;
    if (
      rank < e.touchRank ||
      (rank === e.touchRank && (ts < e.touchTs || (ts === e.touchTs && id < e.touchId)))
    ) {
      e.touchRank = rank;
      e.touchTs = ts;
      e.touchId = id;
      s.referrer = event.referrer;
      s.utmSource = facts.utmSource;
      s.utmMedium = facts.utmMedium;
      s.utmCampaign = facts.utmCampaign;
    }
    if (event.user_id !== null && (e.userTs === null || ts >= e.userTs)) {
      s.userId = event.user_id;
      e.userTs = ts;
    }
    s.eventCount += 1;
    if (event.type === 'page_view') s.pageCount += 1;
    if (event.type === 'click') s.clickCount += 1;
    if (event.type === 'js_error') s.errorCount += 1;
    if (facts.scroll > s.maxScrollDepth) s.maxScrollDepth = facts.scroll;
    if (facts.rage) s.hasRageClick = true;
    if (facts.dead) s.hasDeadClick = true;
    return e;
  }

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
        let entry = sessions.get(m);
        let seen = seenSets.get(m);
        if (!seen) seenSets.set(m, (seen = new Set()));
        let changed = false;
        for (const event of list) {
          if (seen.has(event.event_id)) continue;
          seen.add(event.event_id);
          entry = applyOne(entry, event);
          changed = true;
        }
        if (!entry) continue;
        if (changed) {
          const us = nowUs();
          entry.state.version = Math.max(entry.state.version + 1, us);
          sessions.set(m, entry);
          live.set(m, Math.floor(us / 1000));
          // An event for a session being finalised reopens it; release() then sees the new version.
          fin.delete(m);
        }
        outcomes.push({ kind: 'live', state: { ...entry.state }, changed });
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
        const entry = sessions.get(m);
        if (!entry) {
          fin.delete(m);
          continue;
        }
        fin.set(m, nowMs);
        entry.state.version = Math.max(entry.state.version + 1, us);
        claimed.push({ ...entry.state });
      }
      return claimed;
    },

    async release(state) {
      await Promise.resolve();
      const m = member(state.projectId, state.sessionId);
      const entry = sessions.get(m);
      if (!entry || entry.state.version !== state.version) return false;
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
        v: 1,
        sessions: [...sessions].map(([m, e]) => [m, { ...e, seen: [...(seenSets.get(m) ?? [])] }]),
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

function factsOf(event: SessionEvent) {
  const facts = {
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    scroll: 0,
    rage: false,
    dead: false,
  };
  switch (event.type) {
    case 'page_view':
      facts.utmSource = event.payload.utm_source ?? '';
      facts.utmMedium = event.payload.utm_medium ?? '';
      facts.utmCampaign = event.payload.utm_campaign ?? '';
      break;
    case 'click':
      facts.rage = event.payload.rage ?? false;
      facts.dead = event.payload.dead ?? false;
      break;
    case 'scroll':
      facts.scroll = event.payload.depth;
      break;
    case 'page_leave':
      facts.scroll = event.payload.max_scroll;
      break;
    default:
      break;
  }
  return facts;
}

function emptyState(projectId: string, sessionId: string): SessionState {
  return {
    projectId,
    sessionId,
    anonId: '',
    userId: null,
    startedAt: 0,
    endedAt: 0,
    entryUrl: '',
    entryPath: '',
    exitUrl: '',
    exitPath: '',
    eventCount: 0,
    pageCount: 0,
    clickCount: 0,
    errorCount: 0,
    maxScrollDepth: 0,
    hasRageClick: false,
    hasDeadClick: false,
    referrer: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    browser: '',
    os: '',
    deviceType: '',
    country: '',
    version: 0,
  };
}
