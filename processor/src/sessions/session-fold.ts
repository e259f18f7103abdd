/**
 * Folds events into a session's state as the Redis hash holds it (`s:<member>`, the fields
 * session-scripts.ts documents), in the processor instead of in a Lua script: the same rules
 * (entry, exit and first touch by event time, ties broken by event id; counters; an id already
 * counted changes nothing), the same field names and number formats, so either side can read
 * what the other wrote. cached-session-store.ts writes the result once per batch.
 */
import type { SessionEvent } from './session-store';

/** The session hash: field → value, as strings. */
export type SessionHash = Record<string, string>;

const earlier = (ts: number, id: string, ts2: string | undefined, id2: string | undefined) =>
  ts2 === undefined || ts < Number(ts2) || (ts === Number(ts2) && id < (id2 ?? ''));

/**
 * Applies `events` (all of one session) to `hash` and `counted` in place; returns the ids
 * newly counted (empty when every event was counted before).
 */
export function foldSession(
  hash: SessionHash,
  counted: Set<string>,
  events: readonly SessionEvent[],
): string[] {
  const added: string[] = [];
  for (const event of events) {
    const id = event.event_id;
    if (counted.has(id)) continue;
    counted.add(id);
    added.push(id);
    const ts = event.ts;
    const type = event.type;
    if (earlier(ts, id, hash.start_ts, hash.start_id)) {
      hash.start_ts = String(ts);
      hash.start_id = id;
      hash.entry_url = event.url;
      hash.entry_path = event.path;
      hash.anon = event.anon_id;
      hash.browser = event.browser;
      hash.os = event.os;
      hash.device = event.device_type;
      hash.country = event.country;
    }
    const end = hash.end_ts;
    if (end === undefined || ts > Number(end) || (ts === Number(end) && id > (hash.end_id ?? ''))) {
      hash.end_ts = String(ts);
      hash.end_id = id;
      hash.exit_url = event.url;
      hash.exit_path = event.path;
    }
    // First touch: the earliest page view (any event until there is one).
    const rank = type === 'page_view' ? 0 : 1;
    const touchRank = hash.touch_rank === undefined ? undefined : Number(hash.touch_rank);
    if (
      touchRank === undefined ||
      rank < touchRank ||
      (rank === touchRank && earlier(ts, id, hash.touch_ts, hash.touch_id))
    ) {
      hash.touch_rank = String(rank);
      hash.touch_ts = String(ts);
      hash.touch_id = id;
      hash.referrer = event.referrer;
      const utm = event.type === 'page_view' ? event.payload : undefined;
      hash.utm_source = utm?.utm_source ?? '';
      hash.utm_medium = utm?.utm_medium ?? '';
      hash.utm_campaign = utm?.utm_campaign ?? '';
    }
    if (event.user_id !== null && (hash.user_ts === undefined || ts >= Number(hash.user_ts))) {
      hash.user = event.user_id;
      hash.user_ts = String(ts);
    }
    hash.events = String(Number(hash.events ?? 0) + 1);
    if (type === 'page_view') hash.pages = String(Number(hash.pages ?? 0) + 1);
    if (type === 'click') hash.clicks = String(Number(hash.clicks ?? 0) + 1);
    if (type === 'js_error') hash.errors = String(Number(hash.errors ?? 0) + 1);
    const scroll =
      event.type === 'scroll'
        ? event.payload.depth
        : event.type === 'page_leave'
          ? event.payload.max_scroll
          : 0;
    if (scroll > Number(hash.scroll ?? 0)) hash.scroll = String(scroll);
    if (event.type === 'click' && event.payload.rage === true) hash.rage = '1';
    if (event.type === 'click' && event.payload.dead === true) hash.dead = '1';
  }
  if (added.length > 0 && hash.project === undefined) {
    const first = events[0] as SessionEvent;
    hash.project = first.project_id;
    hash.session = first.session_id;
  }
  return added;
}

/** The hash as Redis replies with it: `k1, v1, k2, v2, ...`. */
export function flattenHash(hash: SessionHash): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(hash)) out.push(k, v);
  return out;
}
