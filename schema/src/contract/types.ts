/**
 * TypeScript types derived from the schemas. The SDK imports this file with
 * `import type` only, so zod never reaches the browser bundle.
 */
import type { z } from 'zod';
import type { enrichedEvent, quarantineRecord } from './enriched';
import type {
  clickPayload,
  customPayload,
  jsErrorPayload,
  pageLeavePayload,
  pageViewPayload,
  scrollPayload,
  webVitalsPayload,
  wireBatch,
  wireEvent,
} from './wire';

export type { EventType, VitalName } from './limits';

/** One event as the SDK sends it (payload defaults not yet applied). */
export type WireEvent = z.input<typeof wireEvent>;
/** One event after validation. */
export type ValidWireEvent = z.output<typeof wireEvent>;
/** The batch envelope as the SDK sends it, with fully typed events. */
export type WireBatch = Omit<z.input<typeof wireBatch>, 'events'> & { events: WireEvent[] };

export type PageViewPayload = z.input<typeof pageViewPayload>;
export type ClickPayload = z.input<typeof clickPayload>;
export type ScrollPayload = z.input<typeof scrollPayload>;
export type PageLeavePayload = z.input<typeof pageLeavePayload>;
export type JsErrorPayload = z.input<typeof jsErrorPayload>;
export type WebVitalsPayload = z.input<typeof webVitalsPayload>;
export type CustomPayload = z.input<typeof customPayload>;

export type EnrichedEvent = z.output<typeof enrichedEvent>;
export type QuarantineRecord = z.output<typeof quarantineRecord>;

/** Answer body of `202 Accepted` from `POST /v1/batch`. */
export interface BatchAccepted {
  accepted: number;
  quarantined: number;
}

/** Answer body of every 4xx/5xx from the ingestor. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string };
}
