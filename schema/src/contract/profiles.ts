/**
 * User profiles and segments (issue 17, section 1). A profile comes from one
 * of two sources:
 * - `server`: `POST /v1/profiles` (the project's secret key) or
 *   `gosight profiles import`: user id, segment and traits;
 * - `sdk`: `gosight.identify(userId, traits)` in the page, a custom event named
 *   `$identify` (wire.ts): traits only — a page never sets a segment.
 * Profiles sent to the ingestor travel on the raw topic as one message of
 * kind `profiles` (so the processor reads them in the same stream as the
 * events), and are stored in `user_profiles` (migration 0007).
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import { rawMessageValues } from './raw-message';
import { flatProps } from './wire';

/** The segment of a user without one, in `events.segment` and `user_profiles.segment`. */
export const UNKNOWN_SEGMENT = 'unknown';
export const PROFILE_SOURCES = ['server', 'sdk'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];
/** Most profiles in one `POST /v1/profiles` request. */
export const MAX_PROFILES_PER_REQUEST = 1000;
/** Largest `POST /v1/profiles` body, decoded. */
export const MAX_PROFILES_BODY_BYTES = 1024 * 1024;

const epochMs = z
  .number()
  .int()
  .min(LIMITS.minTimestampMs, 'timestamp before 2020-01-01')
  .max(LIMITS.maxTimestampMs, 'timestamp after 2100-01-01');

/** An update time as epoch milliseconds or an ISO-8601 date-time text. */
const updateTime = z.union([
  epochMs,
  z.iso
    .datetime({ offset: true, message: 'not an ISO-8601 date-time (e.g. 2026-12-02T19:00:00Z)' })
    .transform((text) => Date.parse(text))
    .pipe(epochMs),
]);

/**
 * One profile as a server sends it (`POST /v1/profiles`, a line of
 * `gosight profiles import`). Unknown keys are refused: a misspelt `segment`
 * must not silently become "no segment". Each update replaces the user's whole
 * server profile (segment and traits); `updated_at` (default: when it was
 * received) says from when on it holds: events before it keep the segment before it.
 */
export const profileInput = z.strictObject({
  user_id: z.string().min(1).max(LIMITS.maxUserId),
  segment: z.string().trim().min(1).max(LIMITS.maxSegment).optional(),
  traits: flatProps.optional(),
  updated_at: updateTime.optional(),
});

/** A profile on the bus and in `user_profiles` (traits as an object here, JSON text in the table). */
export const profileRecord = z.object({
  project_id: z.string().min(1).max(LIMITS.maxProjectKey),
  user_id: z.string().min(1).max(LIMITS.maxUserId),
  source: z.enum(PROFILE_SOURCES),
  segment: z.string().min(1).max(LIMITS.maxSegment),
  traits: flatProps,
  updated_at: epochMs,
});

export type ProfileInput = z.output<typeof profileInput>;
export type ProfileRecord = z.output<typeof profileRecord>;

/** The record of a server profile of `projectId` received at `receivedAt`. */
export function serverProfileRecord(
  projectId: string,
  input: ProfileInput,
  receivedAt: number,
): ProfileRecord {
  return {
    project_id: projectId,
    user_id: input.user_id,
    source: 'server',
    segment: input.segment ?? UNKNOWN_SEGMENT,
    traits: input.traits ?? {},
    updated_at: input.updated_at ?? receivedAt,
  };
}

/**
 * The value of a raw-topic message carrying profiles: an object (events
 * travel as arrays, raw-message.ts), told apart by `kind`.
 */
export interface ProfilesMessage {
  kind: 'profiles';
  profiles: ProfileRecord[];
}

/** The profile records of a decoded raw-topic value, or undefined when it is not a profiles message. */
export function profilesOfMessage(decoded: unknown): readonly unknown[] | undefined {
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  const value = decoded as { kind?: unknown; profiles?: unknown };
  if (value.kind !== 'profiles') return undefined;
  return Array.isArray(value.profiles) ? (value.profiles as unknown[]) : [value.profiles];
}

/**
 * The raw-topic message values carrying `records` (a profiles message each,
 * split like a session's events past the message byte bound), with how many
 * profiles each holds.
 */
export function profilesMessageValues(
  records: readonly ProfileRecord[],
): { value: string; count: number }[] {
  return rawMessageValues(records.map((r) => JSON.stringify(r))).map(({ value, count }) => ({
    value: `{"kind":"profiles","profiles":${value}}`,
    count,
  }));
}
