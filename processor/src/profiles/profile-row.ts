/**
 * Profiles as rows of `user_profiles` (schema/migrations/0007_user_profiles.sql),
 * and the profile an identify event carries.
 */
import {
  IDENTIFY_EVENT,
  type EnrichedEvent,
  type ProfileRecord,
  type ProfileSource,
} from '@gosight/schema';

/** One row of `user_profiles` (inserted_at is the table's default). */
export interface ProfileRow {
  project_id: string;
  user_id: string;
  source: ProfileSource;
  segment: string;
  /** the traits as a JSON object text */
  traits: string;
  /** epoch ms */
  updated_at: number;
}

/** The `user_profiles` row of a profile record. */
export function toProfileRow(record: ProfileRecord): ProfileRow {
  return {
    project_id: record.project_id,
    user_id: record.user_id,
    source: record.source,
    segment: record.segment,
    traits: JSON.stringify(record.traits),
    updated_at: record.updated_at,
  };
}

/**
 * The `sdk` profile row of `gosight.identify(userId, traits)` — a custom event
 * named `$identify` with a user id — or undefined for any other event. It
 * holds traits only: its segment is '' (a page never sets a segment).
 */
export function identifyProfileRow(event: EnrichedEvent): ProfileRow | undefined {
  if (event.type !== 'custom' || event.payload.name !== IDENTIFY_EVENT) return undefined;
  if (event.user_id === null || event.user_id === '') return undefined;
  return {
    project_id: event.project_id,
    user_id: event.user_id,
    source: 'sdk',
    segment: '',
    traits: JSON.stringify(event.payload.props ?? {}),
    updated_at: event.ts,
  };
}
