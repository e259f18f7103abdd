/**
 * The users' segments, in memory, for the hot path: every event gets its
 * user's segment as it was at the event's time, from a map lookup — never a
 * query per event. Fed by the profiles of the stream (at once) and by
 * ClickHouse's `user_profiles` (segment-refresh.ts, every few seconds).
 *
 * Bounded: at most `maxUsers` users, each with its last few versions (so an
 * event a little older than a segment change still gets the segment before
 * it). Past the bound the user updated least recently is forgotten, and his
 * events read 'unknown' until a refresh brings him back.
 */
import { UNKNOWN_SEGMENT } from '@gosight/schema';

/** Versions of one user's segment kept, newest first in time. */
const VERSIONS_PER_USER = 4;

interface Version {
  /** from when on it holds (epoch ms) */
  readonly at: number;
  readonly segment: string;
}

export interface SegmentCache {
  /** Records that `userId` of `projectId` is in `segment` from `updatedAt` on (idempotent). */
  apply(projectId: string, userId: string, segment: string, updatedAt: number): void;
  /** The user's segment at `ts`; 'unknown' without a user, a profile, or a version at or before `ts`. */
  segmentAt(projectId: string, userId: string | null, ts: number): string;
  /** Users held. */
  readonly size: number;
  /** Users forgotten to keep the bound, since the start. */
  readonly evicted: number;
}

/** Creates an empty cache holding at most `maxUsers` users. */
export function createSegmentCache(maxUsers: number): SegmentCache {
  if (!Number.isInteger(maxUsers) || maxUsers < 1) {
    throw new Error(`segment cache: maxUsers must be a positive integer, got ${maxUsers}`);
  }
  // Insertion order = least recently updated first: the one to forget at the bound.
  // Most users have one version: it is stored bare, without an array around it.
  const users = new Map<string, Version | Version[]>();
  // Segments are few; each row read from ClickHouse brings its own copy of the text.
  const names = new Map<string, string>();
  let evicted = 0;
  const keyOf = (projectId: string, userId: string) => `${projectId}\u0000${userId}`;
  const intern = (segment: string) => {
    const known = names.get(segment);
    if (known !== undefined) return known;
    if (names.size < 100_000) names.set(segment, segment);
    return segment;
  };

  return {
    apply(projectId, userId, segment, updatedAt) {
      const key = keyOf(projectId, userId);
      const entry = users.get(key);
      const version: Version = { at: updatedAt, segment: intern(segment) };
      let next: Version | Version[];
      if (entry === undefined || (!Array.isArray(entry) && entry.at === updatedAt)) {
        next = version;
      } else {
        // Two updates with one time: the later one wins, as in ReplacingMergeTree.
        const versions = (Array.isArray(entry) ? entry : [entry]).filter((v) => v.at !== updatedAt);
        versions.push(version);
        versions.sort((a, b) => b.at - a.at);
        if (versions.length > VERSIONS_PER_USER) versions.length = VERSIONS_PER_USER;
        next = versions.length === 1 ? (versions[0] as Version) : versions;
      }
      users.delete(key);
      users.set(key, next);
      if (users.size > maxUsers) {
        const oldest = users.keys().next().value as string;
        users.delete(oldest);
        evicted += 1;
      }
    },
    segmentAt(projectId, userId, ts) {
      if (userId === null || users.size === 0) return UNKNOWN_SEGMENT;
      const entry = users.get(keyOf(projectId, userId));
      if (entry === undefined) return UNKNOWN_SEGMENT;
      if (!Array.isArray(entry)) return entry.at <= ts ? entry.segment : UNKNOWN_SEGMENT;
      for (const version of entry) if (version.at <= ts) return version.segment;
      return UNKNOWN_SEGMENT;
    },
    get size() {
      return users.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
