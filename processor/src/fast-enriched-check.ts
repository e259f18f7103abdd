/**
 * A hand-written fast path for the enriched-event schema (schema/src/enriched.ts;
 * the payload part, shared with the ingestor's wire check, is
 * schema/src/fast-payload.ts). zod costs ~7 µs a message and both
 * consumer groups validate every message; this check costs a fraction of that.
 *
 * It is one-sided on purpose: it returns the event only when it is certain zod
 * accepts the input AND would return an equal value (same keys, same values,
 * payload keys in the schema's order); otherwise it returns undefined and the
 * caller asks zod, which then gives the verdict and the reason. So the verdict
 * of "fast, else zod" is always zod's — both groups keep quarantining /
 * skipping exactly the same messages — and the fast path only has to be right
 * about valid events. fast-enriched-check.test.ts checks this against zod on
 * valid events and on many mutations of them. Whoever changes the schema must
 * change this file too; that test fails until they do.
 */
import {
  ENRICHED_SCHEMA_VERSION,
  LIMITS,
  UUID_PATTERN,
  fastPayload,
  hasOnlyKeys,
  isInt,
  isPlainObject,
  isStr,
  type EnrichedEvent,
} from '@gosight/schema';

/** The keys of an enriched event; all are required. */
const EVENT_KEYS = new Set([
  'v',
  'event_id',
  'project_id',
  'session_id',
  'anon_id',
  'user_id',
  'ts',
  'client_ts',
  'sent_at',
  'received_at',
  'url',
  'path',
  'referrer',
  'title',
  'viewport_w',
  'viewport_h',
  'screen_w',
  'screen_h',
  'lang',
  'ip',
  'country',
  'region',
  'city',
  'user_agent',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'device_type',
  'is_bot',
  'type',
  'payload',
]);

/**
 * The enriched event when `input` is certainly valid (zod would return an
 * equal value), undefined when zod must decide. Never throws. On success the
 * input itself is returned (its payload replaced by a reordered copy when
 * needed), so the caller must own it — the decode step's fresh JSON.parse
 * output does.
 */
export function fastEnrichedEvent(input: unknown): EnrichedEvent | undefined {
  if (!isPlainObject(input)) return undefined;
  const e = input;
  // No key zod would strip (each required key is checked below).
  if (!hasOnlyKeys(e, EVENT_KEYS)) return undefined;
  if (e.v !== ENRICHED_SCHEMA_VERSION) return undefined;
  if (typeof e.event_id !== 'string' || !UUID_PATTERN.test(e.event_id)) return undefined;
  if (!isStr(e.project_id, LIMITS.maxProjectKey, 1)) return undefined;
  if (!isStr(e.session_id, LIMITS.maxIdLength, 1) || !isStr(e.anon_id, LIMITS.maxIdLength, 1))
    return undefined;
  if (e.user_id !== null && !isStr(e.user_id, LIMITS.maxUserId)) return undefined;
  if (!isInt(e.ts, 0) || !isInt(e.client_ts, 0) || !isInt(e.sent_at, 0) || !isInt(e.received_at, 0))
    return undefined;
  if (!isStr(e.url, LIMITS.maxUrl) || !isStr(e.path, LIMITS.maxUrl)) return undefined;
  if (!isStr(e.referrer, LIMITS.maxReferrer) || !isStr(e.title, LIMITS.maxTitle)) return undefined;
  if (
    !isInt(e.viewport_w, 0) ||
    !isInt(e.viewport_h, 0) ||
    !isInt(e.screen_w, 0) ||
    !isInt(e.screen_h, 0)
  )
    return undefined;
  if (!isStr(e.lang, LIMITS.maxLang) || !isStr(e.ip, 64) || !isStr(e.country, 8)) return undefined;
  if (!isStr(e.region, 128) || !isStr(e.city, 128) || !isStr(e.user_agent, 512)) return undefined;
  if (!isStr(e.browser, 64) || !isStr(e.browser_version, 64)) return undefined;
  if (!isStr(e.os, 64) || !isStr(e.os_version, 64) || !isStr(e.device_type, 16)) return undefined;
  if (typeof e.is_bot !== 'boolean') return undefined;
  const payload = fastPayload(e.type, e.payload);
  if (payload === undefined) return undefined;
  if (payload !== e.payload) e.payload = payload;
  return e as unknown as EnrichedEvent;
}
