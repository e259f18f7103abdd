/**
 * Wire contract v1: what the browser SDK sends to `POST /v1/batch`.
 * See ARCHITECTURE.md ("Stable contract points"). Unknown keys are stripped,
 * not rejected, so that an SDK newer than the ingestor still delivers.
 */
import { z } from 'zod';
import { LIMITS, VITAL_RANGES } from './limits';

const text = (max: number) => z.string().max(max);
const timestamp = z
  .number()
  .int()
  .min(LIMITS.minTimestampMs, 'timestamp before 2020-01-01')
  .max(LIMITS.maxTimestampMs, 'timestamp after 2100-01-01');
const opaqueId = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "_" and "-"');
const pixels = z.number().int().min(0).max(LIMITS.maxPixels);
const size = z.object({ w: pixels, h: pixels });
const coordinate = z.number().int().min(-LIMITS.maxCoordinate).max(LIMITS.maxCoordinate);
const percent = z.number().int().min(0).max(100);

// The events of one beacon mostly share their page's URL: the last verdict is kept.
let lastUrl: string | undefined;
let lastUrlIsHttp = false;

/**
 * True for an http(s) URL that parses. A refinement JSON Schema cannot say:
 * zod runs it as a refine and the generated validator as a post-check (fast-checks.ts).
 */
export function isHttpUrl(value: string): boolean {
  if (value !== lastUrl) {
    lastUrlIsHttp = /^https?:\/\//i.test(value) && URL.canParse(value);
    lastUrl = value;
  }
  return lastUrlIsHttp;
}

const httpUrl = z.string().max(LIMITS.maxUrl).refine(isHttpUrl, 'not an http(s) URL');

export const pageViewPayload = z.object({
  /** How the view started: first load, SPA navigation, or a back/forward-cache restore. */
  nav: z.enum(['load', 'push', 'replace', 'pop', 'hash', 'bfcache']).optional(),
  utm_source: text(LIMITS.maxUtm).optional(),
  utm_medium: text(LIMITS.maxUtm).optional(),
  utm_campaign: text(LIMITS.maxUtm).optional(),
  utm_term: text(LIMITS.maxUtm).optional(),
  utm_content: text(LIMITS.maxUtm).optional(),
});

export const clickPayload = z.object({
  /** Page coordinates (document), CSS pixels. */
  x: coordinate,
  y: coordinate,
  /** Viewport coordinates, CSS pixels. */
  vx: coordinate,
  vy: coordinate,
  selector: z.string().min(1).max(LIMITS.maxSelector),
  tag: z.string().min(1).max(LIMITS.maxTag),
  text: text(LIMITS.maxElementText).optional(),
  href: text(LIMITS.maxUrl).optional(),
  /** ≥ 3 clicks within 1 s within 30 px. */
  rage: z.boolean().optional(),
  /** No DOM mutation, navigation or request within 1 s of the click. */
  dead: z.boolean().optional(),
});

export const scrollPayload = z.object({ depth: percent });

export const pageLeavePayload = z.object({
  time_on_page_ms: z.number().int().min(0).max(LIMITS.maxTimeOnPageMs),
  max_scroll: percent,
});

export const jsErrorPayload = z.object({
  message: text(LIMITS.maxErrorMessage),
  error_type: text(LIMITS.maxErrorType).optional(),
  stack: text(LIMITS.maxErrorStack).optional(),
  source: text(LIMITS.maxUrl).optional(),
  line: z.number().int().min(0).optional(),
  col: z.number().int().min(0).optional(),
  /** Which listener saw it. */
  kind: z.enum(['error', 'unhandledrejection']).optional(),
});

const rating = z.enum(['good', 'needs-improvement', 'poor']).optional();
const vital = <N extends keyof typeof VITAL_RANGES>(name: N) =>
  z.object({
    name: z.literal(name),
    value: z.number().min(VITAL_RANGES[name].min).max(VITAL_RANGES[name].max),
    rating,
  });

export const webVitalsPayload = z.discriminatedUnion('name', [
  vital('LCP'),
  vital('FCP'),
  vital('TTFB'),
  vital('INP'),
  vital('CLS'),
]);

const propValue = z.union([
  z.string().max(LIMITS.maxCustomPropValue),
  z.number(),
  z.boolean(),
  z.null(),
]);

/**
 * A flat object of properties: a custom event's props, and a user's traits
 * (profiles.ts), with the same bounds.
 */
export const flatProps = z
  .record(z.string().min(1).max(LIMITS.maxCustomPropKey), propValue)
  .refine((props) => Object.keys(props).length <= LIMITS.maxCustomProps, {
    message: `at most ${LIMITS.maxCustomProps} properties`,
  })
  // The same bound as JSON Schema says it, for the generated validators (z.toJSONSchema drops refines).
  .meta({ maxProperties: LIMITS.maxCustomProps });

/**
 * A custom event. The one named {@link IDENTIFY_EVENT} is `gosight.identify(userId, traits)`:
 * its props are the user's traits (the processor keeps the latest per user in `user_profiles`).
 */
export const customPayload = z.object({
  name: z.string().min(1).max(LIMITS.maxCustomName),
  props: flatProps.optional(),
});

/** The custom event name that carries `gosight.identify`'s traits (PostHog names it the same). */
export const IDENTIFY_EVENT = '$identify';

/** Fields every event carries, whatever its type. */
export const eventBase = z.object({
  /** Client-generated UUID: the dedup key all the way to ClickHouse. */
  id: z.uuid(),
  ts: timestamp,
  session_id: opaqueId,
  anon_id: opaqueId,
  user_id: z.string().min(1).max(LIMITS.maxUserId).optional(),
  url: httpUrl,
  referrer: text(LIMITS.maxReferrer).optional(),
  title: text(LIMITS.maxTitle).optional(),
  viewport: size.optional(),
  screen: size.optional(),
  lang: text(LIMITS.maxLang).optional(),
});

export const wireEvent = z.discriminatedUnion('type', [
  eventBase.extend({ type: z.literal('page_view'), payload: pageViewPayload.default({}) }),
  eventBase.extend({ type: z.literal('click'), payload: clickPayload }),
  eventBase.extend({ type: z.literal('scroll'), payload: scrollPayload }),
  eventBase.extend({ type: z.literal('js_error'), payload: jsErrorPayload }),
  eventBase.extend({ type: z.literal('web_vitals'), payload: webVitalsPayload }),
  eventBase.extend({ type: z.literal('custom'), payload: customPayload }),
  eventBase.extend({ type: z.literal('page_leave'), payload: pageLeavePayload }),
]);

/**
 * The envelope. Events are validated one by one (a bad event is quarantined,
 * not the whole batch), so here they are only required to be objects.
 */
export const wireBatch = z.object({
  project: z.string().min(1).max(LIMITS.maxProjectKey),
  sent_at: timestamp,
  events: z
    .array(z.record(z.string(), z.unknown()))
    .min(1, 'a batch has at least one event')
    .max(LIMITS.maxEventsPerBatch, `at most ${LIMITS.maxEventsPerBatch} events a batch`),
  /** Delivery metadata from the SDK's retry queue. */
  meta: z
    .object({
      /** Events the SDK's bounded queue had to drop since the last delivered batch. */
      dropped: z.number().int().min(0).optional(),
      sdk: z.string().max(32).optional(),
      /**
       * The SDK ran cookieless (data-cookieless): its anon_id lives only in the tab, and
       * the ingestor replaces it with a visitor id of the day (ingestor/src/enrich/cookieless-visitor.ts).
       */
      cookieless: z.boolean().optional(),
    })
    .optional(),
});

/**
 * `input` with zod's default applied (a page_view without payload gets `{}`),
 * as a copy; `input` itself when no default applies. The generated validator
 * only checks, so fast-checks.ts applies the schema's one default first.
 */
export function withWireDefaults(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const event = input as { type?: unknown; payload?: unknown };
  return event.type === 'page_view' && event.payload === undefined
    ? { ...event, payload: {} }
    : input;
}

export type WireEventType = z.infer<typeof wireEvent>['type'];
