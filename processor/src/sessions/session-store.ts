/**
 * The session store port. Redis (Lua scripts) implements it now; an
 * in-memory store with the same semantics can implement it later. The
 * semantics, which both must keep:
 * - `apply` folds events into their session atomically per event; an event id
 *   the session has already counted changes nothing (replays never
 *   double-count); entry/exit/first-touch follow event time, not arrival order
 *   (ties broken by event id), so any arrival order gives the same state.
 * - Every mutation raises the session's `version` (never lower than before,
 *   even across a finalise → reopen), which orders the `sessions` upserts.
 * - `claimIdle` hands each idle session to exactly one caller (a lease: an
 *   unreleased claim is handed out again after `leaseMs`); `release` forgets
 *   the session unless it changed since the claim, and leaves a tombstone so
 *   later copies of its events are ignored.
 */
import type { EnrichedEvent } from '@gosight/schema';

/** The live state of one session. Times are epoch ms. */
export interface SessionState {
  projectId: string;
  sessionId: string;
  anonId: string;
  userId: string | null;
  startedAt: number;
  endedAt: number;
  entryUrl: string;
  entryPath: string;
  exitUrl: string;
  exitPath: string;
  eventCount: number;
  pageCount: number;
  clickCount: number;
  errorCount: number;
  maxScrollDepth: number;
  hasRageClick: boolean;
  hasDeadClick: boolean;
  referrer: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  browser: string;
  os: string;
  deviceType: string;
  country: string;
  version: number;
}

/** What `apply` did to one session. */
export type ApplyOutcome =
  | { kind: 'live'; state: SessionState; changed: boolean }
  /** The session was finalised before; its events are no longer counted. */
  | { kind: 'closed'; projectId: string; sessionId: string; ignored: number };

/** The fields of an enriched event that session state is made of. */
type SessionFields =
  | 'event_id'
  | 'project_id'
  | 'session_id'
  | 'anon_id'
  | 'user_id'
  | 'ts'
  | 'type'
  | 'url'
  | 'path'
  | 'referrer'
  | 'browser'
  | 'os'
  | 'device_type'
  | 'country'
  | 'payload';

/** What a session store reads of an event (per event type, so `type` still narrows `payload`). */
export type SessionEvent = EnrichedEvent extends infer E
  ? E extends EnrichedEvent
    ? Pick<E, SessionFields>
    : never
  : never;

/**
 * The session fields of `event` as a small object of their own. A batch
 * holds its events until the store answers; holding these instead of the
 * parsed messages lets the rest of each message be collected young.
 */
export function sessionEventOf(event: EnrichedEvent): SessionEvent {
  return {
    event_id: event.event_id,
    project_id: event.project_id,
    session_id: event.session_id,
    anon_id: event.anon_id,
    user_id: event.user_id,
    ts: event.ts,
    type: event.type,
    url: event.url,
    path: event.path,
    referrer: event.referrer,
    browser: event.browser,
    os: event.os,
    device_type: event.device_type,
    country: event.country,
    payload: event.payload,
  } as SessionEvent;
}

export interface SessionStore {
  /** Folds the events into their sessions; one outcome per session touched. */
  apply(events: readonly SessionEvent[]): Promise<ApplyOutcome[]>;
  /** Claims up to `limit` sessions idle for `idleMs` (or claimed more than `leaseMs` ago and never released). */
  claimIdle(idleMs: number, leaseMs: number, limit: number): Promise<SessionState[]>;
  /** Forgets a finalised session unless it changed since the claim; true when forgotten. */
  release(state: SessionState): Promise<boolean>;
  /** Sessions currently live. */
  liveCount(): Promise<number>;
  close(): Promise<void>;
}
