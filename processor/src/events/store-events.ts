/**
 * The events half of a batch: one insert of the events' row lines, one of the
 * profiles (user_profiles), one of the quarantined inputs (which then go to the DLQ for `gosight dlq replay`).
 * Infrastructure failures are retried in place (retry.ts) while the batch's
 * partitions are still ours.
 */
import { dedupToken } from '../consume/dedup-token';
import type { DlqProducer } from '../dlq/dlq-producer';
import type { DecodedBatch } from '../pipeline/decode-batch';
import type { Delivery } from '../consume/event-source';
import { EVENT_COLUMNS } from './event-row-line';
import type { Metrics } from '../metrics';
import { retryWhileActive } from '../consume/retry';
import type { Warehouse, WarehouseTable } from '../warehouse/warehouse';

export interface EventsWriterDeps {
  warehouse: Warehouse;
  dlq: DlqProducer;
  metrics: Metrics;
  log: (line: string) => void;
}

/** Creates the function that stores a decoded batch's events and quarantined inputs. */
export function createEventsWriter(deps: EventsWriterDeps) {
  const { metrics, log } = deps;

  async function insert(
    table: WarehouseTable,
    rows: { count: number; run: (w: Warehouse) => Promise<void> },
    deliveries: readonly Delivery[],
  ) {
    if (rows.count === 0) return;
    await retryWhileActive(
      async () => {
        const end = metrics.insertSeconds.startTimer({ table });
        await rows.run(deps.warehouse);
        end();
      },
      {
        deliveries,
        what: `insert ${rows.count} rows into ${table}`,
        log,
        onBlocked: (b) => metrics.blocked.set({ consumer: 'events' }, b ? 1 : 0),
      },
    );
    metrics.rowsInserted.inc({ table }, rows.count);
  }

  return async function storeEvents(batch: DecodedBatch): Promise<void> {
    const { deliveries, rows, quarantined } = batch;
    const token = dedupToken('events', deliveries);
    await insert(
      'events',
      {
        count: rows.rows,
        run: (w) => w.insertBody('events', EVENT_COLUMNS, rows.bytes(), token),
      },
      deliveries,
    );
    // After the events: an identify event's profile row is never stored without the event.
    await insert(
      'user_profiles',
      {
        count: batch.profiles.length,
        run: (w) => w.insert('user_profiles', batch.profiles, token),
      },
      deliveries,
    );
    if (quarantined.length === 0) return;
    const records = quarantined.map(({ record }) => record);
    await insert(
      'events_quarantine',
      { count: records.length, run: (w) => w.insert('events_quarantine', records, token) },
      deliveries,
    );
    await retryWhileActive(() => deps.dlq.send(quarantined), {
      deliveries,
      what: `send ${quarantined.length} records to the DLQ`,
      log,
    });
  };
}
