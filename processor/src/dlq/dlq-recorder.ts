/**
 * Stores what the ingestor quarantined. The ingestor can only produce its
 * quarantined events to `gosight.events.dlq`; this consumer group reads that
 * topic and inserts the ingestor's records into `events_quarantine`, so every
 * event the pipeline accepted is visible to SQL as stored or quarantined.
 * Records the processor quarantined itself are skipped by their
 * `gosight-source` header, without decoding them: the processor inserted them
 * before producing them to the DLQ (for `gosight dlq replay`), so
 * `events_quarantine` has one writer per source. Commits only after ClickHouse
 * acknowledged.
 */
import { quarantineRecord, quarantineRecordOf, type QuarantineRecord } from '@gosight/schema';
import { dedupToken } from '../consume/dedup-token';
import type { ConsumedMessage, Delivery } from '../consume/event-source';
import type { Metrics } from '../metrics';
import { retryWhileActive } from '../consume/retry';
import type { Warehouse } from '../warehouse/warehouse';

export interface DlqRecorderDeps {
  warehouse: Warehouse;
  metrics: Metrics;
  log: (line: string) => void;
}

/** Creates the handler of the DLQ consumer group: one insert per delivery batch. */
export function createDlqRecorderFlush(deps: DlqRecorderDeps) {
  return async function flushDlq(deliveries: Delivery[]): Promise<void> {
    const rows: QuarantineRecord[] = [];
    for (const delivery of deliveries) {
      for (const message of delivery.messages) {
        const row = rowOf(message);
        if (row) rows.push(row);
      }
    }
    if (rows.length === 0) return;
    await retryWhileActive(
      () => deps.warehouse.insert('events_quarantine', rows, dedupToken('dlq', deliveries)),
      {
        deliveries,
        what: `insert ${rows.length} DLQ records into events_quarantine`,
        log: deps.log,
      },
    );
    deps.metrics.rowsInserted.inc({ table: 'events_quarantine' }, rows.length);
  };
}

/** The row to store for one DLQ message, or undefined when the processor already stored it. */
function rowOf(message: ConsumedMessage): QuarantineRecord | undefined {
  if (message.source === 'processor') return undefined;
  const raw = message.value?.toString('utf8') ?? '';
  const parsed = quarantineRecord.safeParse(parseJson(raw));
  if (parsed.success) return parsed.data.source === 'ingestor' ? parsed.data : undefined;
  // Not a record we wrote: keep it anyway, whole, so nothing on the DLQ is invisible.
  return quarantineRecordOf({
    step: 'decode-dlq',
    reason: 'DLQ message is not a quarantine record',
    project_id: '',
    received_at: Number.isFinite(message.timestamp) ? message.timestamp : Date.now(),
    raw,
    source: 'processor',
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
