/**
 * Serialising pipeline results into bus messages: enriched events for the
 * raw topic (key = session_id, schema/project/type headers) and quarantine
 * records for the DLQ.
 */
import {
  ENRICHED_SCHEMA_VERSION,
  HEADERS,
  type EnrichedEvent,
  type QuarantineRecord,
} from '@gosight/schema';
import { enrichedJson, sharedFieldsJson } from './enriched-json';
import type { BusMessage } from './event-producer';

const SCHEMA = String(ENRICHED_SCHEMA_VERSION);
const headerCache = new Map<string, Readonly<Record<string, string>>>();

/**
 * The raw-topic message of an enriched event; `shared` is the request's
 * {@link sharedFieldsJson} fragment (computed from its first event when absent).
 */
export function rawEventMessage(
  event: EnrichedEvent,
  shared = sharedFieldsJson(event),
): BusMessage {
  return { key: event.session_id, value: enrichedJson(event, shared), headers: rawHeaders(event) };
}

/** The DLQ message of a quarantined event; keyed by its session when it has a usable one. */
export function quarantineMessage(record: QuarantineRecord, raw: unknown): BusMessage {
  const session = (raw as { session_id?: unknown } | null)?.session_id;
  const key = typeof session === 'string' && session.length <= 64 ? session : null;
  return {
    key,
    value: JSON.stringify(record),
    headers: { [HEADERS.schema]: SCHEMA, [HEADERS.project]: record.project_id },
  };
}

/** Headers are the same for every event of a project and type, so they are built once. */
function rawHeaders(event: EnrichedEvent): Readonly<Record<string, string>> {
  const cacheKey = `${event.project_id}\u0000${event.type}`;
  let headers = headerCache.get(cacheKey);
  if (!headers) {
    headers = Object.freeze({
      [HEADERS.schema]: SCHEMA,
      [HEADERS.project]: event.project_id,
      [HEADERS.type]: event.type,
    });
    if (headerCache.size < 10_000) headerCache.set(cacheKey, headers);
  }
  return headers;
}
