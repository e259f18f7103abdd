/**
 * The value of a `gosight.events.raw` message (format 2): a JSON array of the
 * enriched events one ingest request carried for one session, in request
 * order, key = that session_id. One message per (request, session) instead of
 * one per event: Kafka clients pay their CPU per message (framing, CRC,
 * headers), so a 20-event beacon costs one message, not twenty.
 *
 * Readers also accept a bare enriched-event object (format 1, written before
 * this change and still by `gosight dlq replay`), so a topic holding both
 * formats is read without a migration step.
 */

/** A session's events are split into several messages past this many bytes of JSON. */
export const RAW_MESSAGE_MAX_BYTES = 256 * 1024;

/**
 * The message values for one session's events, given each event's JSON text:
 * arrays in the given order, each at most {@link RAW_MESSAGE_MAX_BYTES}
 * (a single larger event gets a message of its own).
 */
export function rawMessageValues(
  eventJsons: readonly string[],
): { value: string; count: number }[] {
  const out: { value: string; count: number }[] = [];
  // A UTF-16 unit is at most 3 bytes of UTF-8: when that bound fits, nothing needs measuring.
  let units = 2;
  for (const json of eventJsons) units += json.length + 1;
  if (units * 3 <= RAW_MESSAGE_MAX_BYTES) {
    if (eventJsons.length > 0)
      out.push({ value: `[${eventJsons.join(',')}]`, count: eventJsons.length });
    return out;
  }
  let start = 0;
  let bytes = 2;
  for (let index = 0; index < eventJsons.length; index++) {
    const size = Buffer.byteLength(eventJsons[index] as string) + 1;
    if (index > start && bytes + size > RAW_MESSAGE_MAX_BYTES) {
      out.push({ value: `[${eventJsons.slice(start, index).join(',')}]`, count: index - start });
      start = index;
      bytes = 2;
    }
    bytes += size;
  }
  if (eventJsons.length > start) {
    out.push({ value: `[${eventJsons.slice(start).join(',')}]`, count: eventJsons.length - start });
  }
  return out;
}

/**
 * The events inside a decoded message value: the elements of an array
 * (format 2), or the value itself when it is anything else (format 1: one
 * event object; whatever else it is, validation will say).
 */
export function rawMessageEvents(decoded: unknown): readonly unknown[] {
  return Array.isArray(decoded) ? decoded : [decoded];
}
