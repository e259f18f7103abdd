/**
 * Watches `<db>.events` like a dashboard would: every `intervalMs` it asks
 * ClickHouse for the ids of rows inserted since the last poll and stamps each
 * id it sees for the first time with the wall clock at which that poll was
 * sent. A row seen there was visible no later than that instant, and was not
 * yet visible at the previous poll, so the stamp is late by at most one poll
 * interval (plus the poll's own duration when polls run long).
 */
import type { ClickHouseClient } from '@clickhouse/client';

/** When an event id was first seen, and ClickHouse's own `inserted_at` for it (both ms). */
export interface Sighting {
  visibleAt: number;
  insertedAt: number;
}

export interface PollerOptions {
  clickhouse: ClickHouseClient;
  database: string;
  intervalMs: number;
  /**
   * How far before the newest `inserted_at` already seen each poll looks again.
   * `inserted_at` is stamped when an insert starts and rows become visible when
   * it commits, so a slow insert can surface rows older than the watermark;
   * anything it still misses shows up in `sweep()` as "missed by the poller".
   */
  lookBackMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses `id \t millis` lines (TabSeparated) into the callback. */
function eachRow(text: string, row: (id: string, insertedAt: number) => void): void {
  let at = 0;
  while (at < text.length) {
    const tab = text.indexOf('\t', at);
    const end = text.indexOf('\n', tab);
    if (tab < 0 || end < 0) break;
    row(text.slice(at, tab), Number(text.slice(tab + 1, end)));
    at = end + 1;
  }
}

/** Starts polling at once; `stop()` ends the loop after the poll in progress. */
export function startVisibilityPoller(options: PollerOptions) {
  const { clickhouse, database, intervalMs, lookBackMs } = options;
  const seen = new Map<string, Sighting>();
  let watermark = 0;
  let polls = 0;
  let pollMsTotal = 0;
  let pollMsMax = 0;
  let errors = 0;
  let stopped = false;

  const query = async (where: string): Promise<string> => {
    const result = await clickhouse.query({
      query: `SELECT toString(event_id), toUnixTimestamp64Milli(inserted_at) FROM ${database}.events ${where}`,
      format: 'TabSeparated',
    });
    return result.text();
  };

  const loop = (async () => {
    while (!stopped) {
      const sentAt = Date.now();
      let text = '';
      try {
        text = await query(
          `WHERE inserted_at >= fromUnixTimestamp64Milli(${Math.max(0, watermark - lookBackMs)})`,
        );
      } catch {
        errors += 1; // a failed poll only coarsens the resolution; the next one looks again
      }
      eachRow(text, (id, insertedAt) => {
        watermark = Math.max(watermark, insertedAt);
        if (!seen.has(id)) seen.set(id, { visibleAt: sentAt, insertedAt });
      });
      const took = Date.now() - sentAt;
      polls += 1;
      pollMsTotal += took;
      pollMsMax = Math.max(pollMsMax, took);
      await sleep(Math.max(0, intervalMs - took));
    }
  })();

  return {
    seen,
    stats: () => ({ polls, errors, meanMs: polls ? pollMsTotal / polls : 0, maxMs: pollMsMax }),
    async stop(): Promise<void> {
      stopped = true;
      await loop;
    },
    /** Every row in the table now: id → inserted_at (for LOST and missed-by-poller counts). */
    async sweep(): Promise<Map<string, number>> {
      const all = new Map<string, number>();
      eachRow(await query(''), (id, insertedAt) => all.set(id, insertedAt));
      return all;
    },
  };
}
