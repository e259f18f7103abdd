/**
 * Serialising pipeline results into bus messages: the enriched events of one
 * request for the raw topic, one message per session (schema raw-message.ts:
 * a JSON array, key = session_id, schema/project/count headers), and
 * quarantine records for the DLQ, one per event.
 */
import {
  ENRICHED_SCHEMA_VERSION,
  HEADERS,
  rawMessageValues,
  type QuarantineRecord,
} from '@gosight/schema';
import type { BusMessage } from './event-producer';

const SCHEMA = String(ENRICHED_SCHEMA_VERSION);
const headerCache = new Map<string, Readonly<Record<string, string>>>();

/**
 * The raw-topic messages of one request's events of one session, given each
 * event's JSON text in request order (normally one message; more only past
 * the schema's message byte bound).
 */
export function rawSessionMessages(
  projectId: string,
  sessionId: string,
  eventJsons: readonly string[],
): BusMessage[] {
  return rawMessageValues(eventJsons).map(({ value, count }) => ({
    key: sessionId,
    value,
    headers: rawHeaders(projectId, count),
    events: count,
  }));
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

/**
 * Headers are the same for every message of a project and event count, so
 * they are built once (and the producer encodes each header object once).
 */
function rawHeaders(projectId: string, count: number): Readonly<Record<string, string>> {
  const cacheKey = `${projectId}\u0000${count}`;
  let headers = headerCache.get(cacheKey);
  if (!headers) {
    headers = Object.freeze({
      [HEADERS.schema]: SCHEMA,
      [HEADERS.project]: projectId,
      [HEADERS.events]: String(count),
    });
    if (headerCache.size < 10_000) headerCache.set(cacheKey, headers);
  }
  return headers;
}
