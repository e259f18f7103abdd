import { createHash } from 'node:crypto';
import type { Delivery } from './event-source';

/**
 * The insert_deduplication_token for the rows of these deliveries: the same
 * deliveries give the same token, so an insert retried after a timeout or a
 * lost answer is dropped by ClickHouse instead of stored twice. (A copy that
 * arrives in a differently cut batch after a restart gets another token; the
 * ReplacingMergeTree on event_id hides that one — see README "No duplicates".)
 *
 * Offsets alone do not name messages for ever: a reset in-process bus or a
 * recreated Kafka topic counts from 0 again, and a token equal to an earlier
 * insert's would make ClickHouse drop new rows as duplicates (issue 13, §2).
 * So the token also covers the topic's incarnation when the bus knows it and,
 * for every bus, the timestamps of each delivery's first and last message:
 * stored with the message, they are the same on every redelivery and differ
 * between incarnations.
 */
export function dedupToken(kind: string, deliveries: readonly Delivery[]): string {
  const hash = createHash('sha256').update(kind);
  for (const d of deliveries) {
    const first = d.messages[0];
    const last = d.messages[d.messages.length - 1];
    hash.update(
      `|${d.topic}:${d.partition}:${d.incarnation ?? ''}` +
        `:${first?.offset ?? ''}@${first?.timestamp ?? ''}-${last?.offset ?? ''}@${last?.timestamp ?? ''}`,
    );
  }
  return hash.digest('hex');
}
