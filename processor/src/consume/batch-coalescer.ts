/**
 * Coalesces the deliveries of one fetch (one per partition, handed over
 * concurrently) into one unit of work, so each table gets one insert per
 * fetch rather than one per partition. A group is flushed when it holds
 * `maxRows` messages, `lingerMs` after the last delivery joined, or `maxWaitMs`
 * after the first one — whichever comes first. Every delivery's handler
 * settles with the outcome of the flush that carried it.
 */
import type { Delivery, DeliveryHandler } from './event-source';

export interface CoalescerOptions {
  maxRows: number;
  maxWaitMs: number;
  /** Quiet time after the last join before flushing a group that is not full. */
  lingerMs?: number;
  flush: (deliveries: Delivery[]) => Promise<void>;
  /** Heartbeat interval while a flush runs (default 3 s). */
  heartbeatMs?: number;
}

interface Pending {
  deliveries: Delivery[];
  rows: number;
  firstAt: number;
  timer: NodeJS.Timeout | undefined;
  settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** Returns a delivery handler that coalesces concurrent deliveries before flushing them together. */
export function createBatchCoalescer(options: CoalescerOptions): DeliveryHandler {
  const linger = Math.min(options.lingerMs ?? 15, options.maxWaitMs);
  const heartbeatMs = options.heartbeatMs ?? 3000;
  let pending: Pending | undefined;

  const flushNow = (group: Pending) => {
    if (pending === group) pending = undefined;
    clearTimeout(group.timer);
    // Heartbeats during a long flush (a slow insert), so the group keeps us.
    const beat = setInterval(() => {
      for (const d of group.deliveries) d.heartbeat().catch(() => undefined);
    }, heartbeatMs);
    options
      .flush(group.deliveries)
      .finally(() => clearInterval(beat))
      .then(
        () => group.settle.forEach((s) => s.resolve()),
        (error: unknown) => group.settle.forEach((s) => s.reject(error)),
      );
  };

  return (delivery) =>
    new Promise<void>((resolve, reject) => {
      const now = Date.now();
      const group: Pending = pending ?? {
        deliveries: [],
        rows: 0,
        firstAt: now,
        timer: undefined,
        settle: [],
      };
      pending = group;
      group.deliveries.push(delivery);
      group.rows += delivery.messages.length;
      group.settle.push({ resolve, reject });
      clearTimeout(group.timer);
      if (group.rows >= options.maxRows) {
        flushNow(group);
        return;
      }
      const wait = Math.max(0, Math.min(linger, group.firstAt + options.maxWaitMs - now));
      group.timer = setTimeout(() => flushNow(group), wait);
    });
}
