/**
 * Event time corrected for client clock skew. The SDK stamps each event with
 * its own clock (`ts`) and the batch with the send time (`sent_at`); the
 * server knows when it received the batch. Assuming transit takes ~0:
 *   corrected = ts + received_at − sent_at
 * clamped to [received_at − MAX_EVENT_AGE_MS, received_at]: an event cannot
 * happen after it arrived, and events older than a week (an SDK retry queue
 * that sat offline) are pinned to that bound rather than trusted.
 * The original `ts` is kept as `client_ts` (part of the dedup key).
 */

/** Oldest corrected event time accepted relative to arrival: 7 days. */
export const MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Corrects `ts` by the batch's skew (`receivedAt − sentAt`) and clamps it (see the file comment). */
export function correctedTimestamp(ts: number, sentAt: number, receivedAt: number): number {
  const corrected = ts + (receivedAt - sentAt);
  if (corrected > receivedAt) return receivedAt;
  const oldest = receivedAt - MAX_EVENT_AGE_MS;
  return corrected < oldest ? oldest : corrected;
}
