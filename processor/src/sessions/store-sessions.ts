/**
 * The sessions half of a batch: fold its valid events into their sessions in
 * the session store (one call, all sessions of the batch), then upsert every
 * session touched into `sessions` (one insert). It runs after the batch's
 * events are stored and before its offsets are committed, so while Redis is
 * down the batch in hand waits here and the group pauses: nothing is
 * committed, nothing is lost (README, "Redis down").
 */
import { dedupToken } from '../consume/dedup-token';
import type { DecodedBatch } from '../pipeline/decode-batch';
import type { Metrics } from '../metrics';
import { retryWhileActive } from '../consume/retry';
import { toSessionRow, type SessionRow } from './session-row';
import type { SessionStore } from './session-store';
import type { Warehouse } from '../warehouse/warehouse';

export interface SessionsWriterDeps {
  store: SessionStore;
  warehouse: Warehouse;
  metrics: Metrics;
  log: (line: string) => void;
}

/** Creates the function that applies a decoded batch to its sessions and upserts them. */
export function createSessionsWriter(deps: SessionsWriterDeps) {
  const { metrics, log } = deps;
  const onBlocked = (b: boolean) => metrics.blocked.set({ consumer: 'sessions' }, b ? 1 : 0);

  return async function storeSessions(batch: DecodedBatch): Promise<void> {
    const { deliveries, sessionEvents: events } = batch;
    if (events.length === 0) return;
    const outcomes = await retryWhileActive(() => deps.store.apply(events), {
      deliveries,
      what: `apply ${events.length} events to sessions`,
      log,
      onBlocked,
    });
    const rows: SessionRow[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'live') rows.push(toSessionRow(outcome.state, true));
      else metrics.lateEvents.inc(outcome.ignored);
    }
    if (rows.length === 0) return;
    const token = dedupToken('sessions', deliveries);
    await retryWhileActive(
      async () => {
        const end = metrics.insertSeconds.startTimer({ table: 'sessions' });
        await deps.warehouse.insert('sessions', rows, token);
        end();
      },
      { deliveries, what: `upsert ${rows.length} sessions`, log, onBlocked },
    );
    metrics.rowsInserted.inc({ table: 'sessions' }, rows.length);
  };
}
