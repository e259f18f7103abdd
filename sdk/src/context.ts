import type { WireEvent } from '@gosight/schema/types';

/** How a page view started (wire `payload.nav`). */
export type Nav = 'load' | 'push' | 'replace' | 'pop' | 'hash' | 'bfcache';

/** Event types the SDK emits. */
export type EventType = WireEvent['type'];

/** The payload type of one event type. */
export type PayloadOf<T extends EventType> = NonNullable<
  Extract<WireEvent, { type: T }>['payload']
>;

/** What the tracker core shares with the capture modules. */
export interface Ctx {
  /** Queues one event; `ts` (epoch ms) defaults to now. */
  _emit<T extends EventType>(type: T, payload: PayloadOf<T>, ts?: number): void;
  /** Masked-at-send raw href of the current page view, and its referrer. */
  _href: string;
  _ref: string;
  /** The batch URL, so capture modules can ignore the SDK's own requests. */
  _batchUrl: string;
  _mask: string[];
  /** Run when a page view ends: SPA navigation, page hidden, pagehide. */
  _leave: (() => void)[];
  /** Run when the page is hidden (after the leave hooks, before the flush). */
  _hide: (() => void)[];
  /** Run when a page view starts. */
  _view: ((nav: Nav) => void)[];
}
