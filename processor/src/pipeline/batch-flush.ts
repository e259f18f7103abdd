/**
 * The processor's unit of work, one pass over each message: decode and
 * validate the batch once; store its events (and quarantined inputs) and, at
 * the same time, fold it into its sessions and upsert them; then the source
 * commits the batch's offsets. Each step retries infrastructure failures in place, so a resolved
 * flush means every store has the batch.
 */
import { createBatchDecoder } from './decode-batch';
import type { Delivery } from '../consume/event-source';
import { createEventsWriter, type EventsWriterDeps } from '../events/store-events';
import { createSessionsWriter, type SessionsWriterDeps } from '../sessions/store-sessions';
import type { SegmentCache } from '../profiles/segment-cache';

/** Creates the flush function of the processor's consumer group. */
export function createBatchFlush(
  deps: EventsWriterDeps & SessionsWriterDeps & { segments: SegmentCache },
) {
  const decodeBatch = createBatchDecoder(deps.metrics, deps.segments);
  const storeEvents = createEventsWriter(deps);
  const storeSessions = createSessionsWriter(deps);
  return async function flushBatch(deliveries: Delivery[]): Promise<void> {
    const batch = decodeBatch(deliveries);
    // The two stores are independent until the commit: ClickHouse inserts the events while
    // Redis folds the sessions. Both must have the batch before the offsets are committed.
    const [events, sessions] = await Promise.allSettled([storeEvents(batch), storeSessions(batch)]);
    if (events.status === 'rejected') throw events.reason;
    if (sessions.status === 'rejected') throw sessions.reason;
  };
}
