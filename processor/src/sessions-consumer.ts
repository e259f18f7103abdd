/**
 * The sessions consumer group's unit of work: fold the valid events of the
 * coalesced deliveries into their sessions in the session store, then upsert
 * every session touched into `sessions` (one insert). It reads the same topic
 * as the events group under a group of its own, so while Redis is down the
 * events keep flowing into ClickHouse and this group simply falls behind;
 * Kafka's retention is the backlog it catches up from (README, "Redis down").
 */
import { dedupToken } from './dedup-token';
import type { Delivery } from './event-source';
import { createIngestPipeline } from './ingest-pipeline';
import type { Metrics } from './metrics';
import { retryWhileActive } from './retry';
import { toSessionRow, type SessionRow } from './session-row';
import { sessionEventOf, type SessionEvent, type SessionStore } from './session-store';
import type { Warehouse } from './warehouse';

export interface SessionsConsumerDeps {
  store: SessionStore;
  warehouse: Warehouse;
  metrics: Metrics;
  log: (line: string) => void;
}

/** Creates the flush function of the sessions consumer group. */
export function createSessionsFlush(deps: SessionsConsumerDeps) {
  const ingest = createIngestPipeline();
  const { metrics, log } = deps;
  const onBlocked = (b: boolean) => metrics.blocked.set({ consumer: 'sessions' }, b ? 1 : 0);

  return async function flushSessions(deliveries: Delivery[]): Promise<void> {
    const events: SessionEvent[] = [];
    let messages = 0;
    for (const delivery of deliveries) {
      for (const message of delivery.messages) {
        messages += 1;
        // Invalid inputs are quarantined by the events group; here they are skipped.
        ingest(message, (result) => {
          if (result.kind === 'ok') events.push(sessionEventOf(result.value));
        });
      }
    }
    metrics.batchSize.observe({ consumer: 'sessions' }, messages);
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
