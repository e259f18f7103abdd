/**
 * The enriched event: what the ingestor writes to `gosight.events.raw`
 * (key = session_id; several per message, raw-message.ts) and the processor reads. Flat where ClickHouse wants
 * columns; the type-specific payload travels as validated on the wire.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import {
  clickPayload,
  customPayload,
  jsErrorPayload,
  pageLeavePayload,
  pageViewPayload,
  scrollPayload,
  webVitalsPayload,
} from './wire';

/** Schema version carried in every Kafka message (`v` field and `schema` header). */
export const ENRICHED_SCHEMA_VERSION = 1;

const epochMs = z.number().int().min(0);
const str = (max: number) => z.string().max(max);

const enrichedBase = z.object({
  v: z.literal(ENRICHED_SCHEMA_VERSION),
  event_id: z.uuid(),
  project_id: z.string().min(1).max(LIMITS.maxProjectKey),
  session_id: z.string().min(1).max(LIMITS.maxIdLength),
  anon_id: z.string().min(1).max(LIMITS.maxIdLength),
  user_id: z.string().max(LIMITS.maxUserId).nullable(),
  /** Event time corrected for client clock skew: client_ts + received_at − sent_at, clamped. */
  ts: epochMs,
  /** Event time as the client's clock said. Stable across retries: part of the dedup key. */
  client_ts: epochMs,
  sent_at: epochMs,
  received_at: epochMs,
  url: str(LIMITS.maxUrl),
  path: str(LIMITS.maxUrl),
  referrer: str(LIMITS.maxReferrer),
  title: str(LIMITS.maxTitle),
  viewport_w: z.number().int().min(0),
  viewport_h: z.number().int().min(0),
  screen_w: z.number().int().min(0),
  screen_h: z.number().int().min(0),
  lang: str(LIMITS.maxLang),
  /** Anonymised client IP ('' when IP collection is off). */
  ip: str(64),
  country: str(8),
  region: str(128),
  city: str(128),
  user_agent: str(512),
  browser: str(64),
  browser_version: str(64),
  os: str(64),
  os_version: str(64),
  /** desktop | mobile | tablet | bot | other */
  device_type: str(16),
  is_bot: z.boolean(),
});

export const enrichedEvent = z.discriminatedUnion('type', [
  enrichedBase.extend({ type: z.literal('page_view'), payload: pageViewPayload }),
  enrichedBase.extend({ type: z.literal('click'), payload: clickPayload }),
  enrichedBase.extend({ type: z.literal('scroll'), payload: scrollPayload }),
  enrichedBase.extend({ type: z.literal('js_error'), payload: jsErrorPayload }),
  enrichedBase.extend({ type: z.literal('web_vitals'), payload: webVitalsPayload }),
  enrichedBase.extend({ type: z.literal('custom'), payload: customPayload }),
  enrichedBase.extend({ type: z.literal('page_leave'), payload: pageLeavePayload }),
]);

/**
 * A quarantined input, as produced to `gosight.events.dlq` and stored in
 * `gosight.events_quarantine`: the raw input as text, why, and which step said so.
 */
export const quarantineRecord = z.object({
  /** Pipeline step that refused the input, e.g. `validate-event`, `decode`. */
  step: z.string().min(1).max(64),
  /** Human-readable reason naming the first problem (path and rule). */
  reason: z.string().min(1).max(2048),
  project_id: z.string().max(LIMITS.maxProjectKey),
  received_at: epochMs,
  /** The input exactly as received (JSON text of the event, or the undecodable bytes as UTF-8). */
  raw: z.string(),
  /** `ingestor` or `processor`. */
  source: z.enum(['ingestor', 'processor']),
});

/** Kafka topic and group names (ARCHITECTURE.md). */
export const TOPICS = {
  raw: 'gosight.events.raw',
  dlq: 'gosight.events.dlq',
} as const;
export const CONSUMER_GROUP = 'gosight-processor';

/**
 * Kafka message headers set by the ingestor on every raw message
 * (raw-message.ts): schema version, project and how many events it carries.
 * `type` is set only on a single-event message (format 1, e.g. a DLQ replay).
 */
export const HEADERS = {
  schema: 'gosight-schema',
  project: 'gosight-project',
  events: 'gosight-events',
  type: 'gosight-type',
  /** On DLQ records: who quarantined it ('ingestor' | 'processor'), readable without decoding. */
  source: 'gosight-source',
} as const;
