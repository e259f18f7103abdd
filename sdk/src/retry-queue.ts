import { max } from './globals';
import type { WireEvent } from '@gosight/schema/types';
import type { Store } from './storage';

/** Bounds of the stored queue: events, and serialized bytes (approx. UTF-16 units). */
export const QUEUE_MAX_EVENTS = 100;
export const QUEUE_MAX_BYTES = 256 * 1024;

/** Stored queue: events not yet acknowledged, events dropped since the last delivery, earliest next attempt. */
export type Queue = [events: WireEvent[], dropped: number, retryAt: number];

/** The durable outbox: every flushed event stays here until the collector answers. */
export interface RetryQueue {
  _load(): Queue;
  /** Appends events, dropping the oldest beyond the bounds (and counting them). */
  _push(events: WireEvent[]): void;
  /** Removes delivered (or refused) events and subtracts the drop count they reported. */
  _ack(ids: string[], dropped: number): void;
  _retryAt(t: number): void;
}

/** Creates the queue over a store (localStorage, or memory in cookieless mode). */
export const createRetryQueue = (st: Store): RetryQueue => {
  const load = (): Queue => st._get<Queue>('gs_q') || [[], 0, 0];
  /** Loads the queue, lets `f` change it, stores it. */
  const update = (f: (q: Queue) => void) => {
    const q = load();
    f(q);
    st._set('gs_q', q);
  };
  return {
    _load: load,
    _push: (events) =>
      update((q) => {
        const ev = (q[0] = q[0].concat(events));
        // re-measured after each drop: drops are rare and the queue is small
        while (ev.length > QUEUE_MAX_EVENTS || JSON.stringify(ev).length > QUEUE_MAX_BYTES) {
          ev.shift();
          q[1]++;
        }
      }),
    _ack: (ids, dropped) =>
      update((q) => {
        q[0] = q[0].filter((e) => !ids.includes(e.id));
        q[1] = max(0, q[1] - dropped);
      }),
    _retryAt: (t) => update((q) => (q[2] = t)),
  };
};
