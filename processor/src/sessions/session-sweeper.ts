/**
 * Finalises idle sessions: claims them in the session store (each claim goes
 * to exactly one replica), upserts their last row with is_live = 0, then
 * releases them (Redis state removed, a tombstone left). Safe to run in every
 * replica. A failure leaves the claim in place; it is handed out again after
 * the lease, so a crash between the upsert and the release costs at most an
 * identical second upsert, never a lost final row.
 */
import type { Metrics } from '../metrics';
import { toSessionRow } from './session-row';
import type { SessionStore } from './session-store';
import type { Warehouse } from '../warehouse/warehouse';
import { createHash } from 'node:crypto';
import { messageOf } from '../errors';

export interface SweeperOptions {
  store: SessionStore;
  warehouse: Warehouse;
  metrics: Metrics;
  idleMs: number;
  intervalMs: number;
  /** A claim not released this long after it was made is handed out again. */
  leaseMs?: number;
  /** Sessions finalised per insert. */
  chunk?: number;
  log: (line: string) => void;
}

export interface Sweeper {
  /** Finalises every session idle right now; resolves with how many this call finalised. */
  sweepOnce(): Promise<number>;
  close(): Promise<void>;
}

/** Creates a sweeper that runs every `intervalMs` until closed. */
export function createSessionSweeper(options: SweeperOptions): Sweeper {
  const leaseMs = options.leaseMs ?? Math.max(60_000, options.intervalMs * 4);
  const chunk = options.chunk ?? 5000;
  let running: Promise<number> | undefined;
  let closed = false;

  async function sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await options.store.claimIdle(options.idleMs, leaseMs, chunk);
      if (claimed.length === 0) return total;
      const rows = claimed.map((state) => toSessionRow(state, false));
      const token = createHash('sha256')
        .update(`final:${rows.map((r) => `${r.session_id}@${r.version}`).join(',')}`)
        .digest('hex');
      await options.warehouse.insert('sessions', rows, token);
      options.metrics.rowsInserted.inc({ table: 'sessions' }, rows.length);
      for (const state of claimed) await options.store.release(state);
      options.metrics.sessionsFinalised.inc(claimed.length);
      total += claimed.length;
      if (claimed.length < chunk) return total;
    }
  }

  const sweepOnce = () => {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (closed) return;
    sweepOnce().catch((error: unknown) => options.log(`sweeper: ${messageOf(error)} (will retry)`));
  }, options.intervalMs);
  timer.unref();

  return {
    sweepOnce,
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
