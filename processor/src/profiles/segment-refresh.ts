/**
 * Keeps the segment cache in step with `user_profiles`: at start it reads
 * every server profile, then every `intervalMs` only the rows inserted since
 * the last read (by `inserted_at`, a page of rows at a time, so memory stays
 * bounded whatever an import wrote). What `gosight profiles import` or another
 * processor replica stored is in this replica's cache within one interval.
 */
import type { SegmentCache } from './segment-cache';
import type { Warehouse } from '../warehouse/warehouse';

/** Rows read per query. */
const PAGE_ROWS = 10_000;
/**
 * Each read starts this long before the newest inserted_at seen: an insert
 * that started earlier but became visible later is still read (re-reading a
 * row is harmless, apply is idempotent).
 */
const OVERLAP_MS = 5_000;

interface ProfileRow {
  project_id: string;
  user_id: string;
  segment: string;
  updated_ms: string;
  inserted_ms: string;
}

export interface SegmentRefresher {
  /** Reads what is new now; resolves with the rows read. */
  refreshNow(): Promise<number>;
  /** Stops the timer and waits for a read in flight. */
  close(): Promise<void>;
}

export interface SegmentRefreshDeps {
  warehouse: Warehouse;
  cache: SegmentCache;
  intervalMs: number;
  log: (line: string) => void;
  onRefreshed?: (rows: number) => void;
}

/** Starts refreshing `cache` every `intervalMs` (the first read is `refreshNow`, awaited by the caller). */
export function startSegmentRefresh(deps: SegmentRefreshDeps): SegmentRefresher {
  const { warehouse, cache, log } = deps;
  const table = `${warehouse.database}.user_profiles`;
  // The keyset cursor: (inserted_at ms, project_id, user_id) of the last row applied.
  let since = 0;
  let inFlight: Promise<number> | undefined;
  let failing = false;

  async function readNew(): Promise<number> {
    let cursor = { at: Math.max(0, since - OVERLAP_MS), project: '', user: '' };
    let total = 0;
    for (;;) {
      const rows = await warehouse.query<ProfileRow>(
        `SELECT project_id, user_id, segment,
                toString(toUnixTimestamp64Milli(updated_at)) AS updated_ms,
                toString(toUnixTimestamp64Milli(inserted_at)) AS inserted_ms
         FROM ${table}
         WHERE source = 'server'
           AND (toUnixTimestamp64Milli(inserted_at), project_id, user_id) > ({at:Int64}, {project:String}, {user:String})
         ORDER BY inserted_at, project_id, user_id
         LIMIT ${PAGE_ROWS}`,
        cursor,
      );
      for (const row of rows)
        cache.apply(row.project_id, row.user_id, row.segment, Number(row.updated_ms));
      total += rows.length;
      const last = rows.at(-1);
      if (last) {
        const at = Number(last.inserted_ms);
        since = Math.max(since, at);
        cursor = { at, project: last.project_id, user: last.user_id };
      }
      if (rows.length < PAGE_ROWS) return total;
    }
  }

  function refreshNow(): Promise<number> {
    inFlight ??= readNew()
      .then((rows) => {
        if (failing) log('segments: user_profiles readable again');
        failing = false;
        deps.onRefreshed?.(rows);
        return rows;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  const timer = setInterval(() => {
    refreshNow().catch((error: unknown) => {
      // Logged once per outage; the cache keeps what it has and the next tick tries again.
      if (!failing) log(`segments: cannot read user_profiles, keeping the cache: ${String(error)}`);
      failing = true;
    });
  }, deps.intervalMs);
  timer.unref();

  return {
    refreshNow,
    async close() {
      clearInterval(timer);
      await inFlight?.catch(() => undefined);
    },
  };
}
