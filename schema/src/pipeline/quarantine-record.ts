/**
 * The one builder of quarantine records (ARCHITECTURE.md: one place that turns
 * a refused input into a DLQ record), for the ingestor's refused events and
 * the processor's undecodable messages alike. It keeps a record inside what
 * the schema and the `events_quarantine` table take: the reason cut to the
 * schema's 2,048 characters, the raw input to 64 KiB (the ingestor's body
 * limit, so an ingestor record keeps its input whole).
 */
import { LIMITS } from '../contract/limits';
import type { QuarantineRecord } from '../contract/types';

/** The longest reason a record carries (the schema's `reason` bound). */
export const QUARANTINE_REASON_MAX_CHARS = 2048;
/** The longest raw input a record carries. */
export const QUARANTINE_RAW_MAX_CHARS = LIMITS.maxBodyBytes;

/** A record of `fields`, with an over-long reason or raw input cut to its bound. */
export function quarantineRecordOf(fields: QuarantineRecord): QuarantineRecord {
  return {
    ...fields,
    reason: cut(fields.reason, QUARANTINE_REASON_MAX_CHARS),
    raw: cut(fields.raw, QUARANTINE_RAW_MAX_CHARS),
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
