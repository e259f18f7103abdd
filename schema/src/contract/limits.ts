/** Size and range limits of wire contract v1; the ingestor and the SDK share them. */
export const LIMITS = {
  /** Largest accepted request body, measured after gzip decoding. */
  maxBodyBytes: 64 * 1024,
  maxEventsPerBatch: 500,
  maxUrl: 2048,
  maxReferrer: 2048,
  maxTitle: 512,
  maxSelector: 512,
  maxElementText: 256,
  maxTag: 32,
  maxErrorMessage: 1024,
  maxErrorType: 128,
  maxErrorStack: 4096,
  maxIdLength: 64,
  maxUserId: 256,
  maxLang: 35,
  maxUtm: 256,
  maxCustomName: 128,
  maxCustomProps: 50,
  maxCustomPropKey: 128,
  maxCustomPropValue: 1024,
  maxProjectKey: 64,
  /** A user's segment (profiles.ts). */
  maxSegment: 128,
  /** Viewport and screen sides, CSS pixels. */
  maxPixels: 100_000,
  /** Page coordinates can be large on long pages. */
  maxCoordinate: 10_000_000,
  /** Time on one page: a day. */
  maxTimeOnPageMs: 24 * 60 * 60 * 1000,
  /** Client timestamps before 2020-01-01 or after 2100-01-01 are not believable. */
  minTimestampMs: Date.UTC(2020, 0, 1),
  maxTimestampMs: Date.UTC(2100, 0, 1),
} as const;

/**
 * Web Vitals value ranges. Times are milliseconds; CLS is unitless.
 * The upper bounds are far beyond anything a real page reports, so a value
 * outside them is a bug or an attack, not a slow page.
 */
export const VITAL_RANGES = {
  LCP: { min: 0, max: 600_000 },
  FCP: { min: 0, max: 600_000 },
  TTFB: { min: 0, max: 600_000 },
  INP: { min: 0, max: 120_000 },
  CLS: { min: 0, max: 100 },
} as const;

export type VitalName = keyof typeof VITAL_RANGES;
export const VITAL_NAMES = Object.keys(VITAL_RANGES) as VitalName[];

export const EVENT_TYPES = [
  'page_view',
  'click',
  'scroll',
  'js_error',
  'web_vitals',
  'custom',
  'page_leave',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
