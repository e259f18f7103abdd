import { createHash } from 'node:crypto';
import type { Delivery } from './event-source';

/**
 * The insert_deduplication_token for the rows of these deliveries: the same
 * deliveries give the same token, so an insert retried after a timeout or a
 * lost answer is dropped by ClickHouse instead of stored twice. (A copy that
 * arrives in a differently cut batch after a restart gets another token; the
 * ReplacingMergeTree on event_id hides that one — see README "No duplicates".)
 */
export function dedupToken(kind: string, deliveries: readonly Delivery[]): string {
  const hash = createHash('sha256').update(kind);
  for (const d of deliveries) {
    const first = d.messages[0]?.offset ?? '';
    const last = d.messages[d.messages.length - 1]?.offset ?? '';
    hash.update(`|${d.topic}:${d.partition}:${first}-${last}`);
  }
  return hash.digest('hex');
}
