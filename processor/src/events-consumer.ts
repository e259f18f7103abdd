/**
 * The events consumer group's unit of work: decode and validate every
 * message of the coalesced deliveries, insert the events (one insert), the
 * quarantined inputs (one insert, and to the DLQ), then let the source
 * commit. Infrastructure failures are retried in place (retry.ts).
 */
import type { QuarantineRecord } from '@gosight/schema';
import { dedupToken } from './dedup-token';
import type { DlqEntry, DlqProducer } from './dlq-producer';
import type { Delivery } from './event-source';
import { EVENT_COLUMNS, eventRowLine } from './event-row-line';
import { createIngestPipeline } from './ingest-pipeline';
import type { Metrics } from './metrics';
import { retryWhileActive } from './retry';
import { RowBody } from './row-body';
import type { Warehouse, WarehouseTable } from './warehouse';

export interface EventsConsumerDeps {
  warehouse: Warehouse;
  dlq: DlqProducer;
  metrics: Metrics;
  log: (line: string) => void;
}

const MAX_RAW_CHARS = 64 * 1024;

/** Creates the flush function of the events consumer group. */
export function createEventsFlush(deps: EventsConsumerDeps) {
  const ingest = createIngestPipeline();
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

  return async function flushEvents(deliveries: Delivery[]): Promise<void> {
    const rows = new RowBody();
    const dlq: DlqEntry[] = [];
    let messages = 0;
    for (const delivery of deliveries) {
      for (const message of delivery.messages) {
        messages += 1;
        ingest(message, (result, input, single) => {
          if (result.kind === 'ok') {
            rows.append(eventRowLine(result.value));
          } else if (result.kind === 'drop') {
            metrics.dropped.inc({ step: result.step });
          } else {
            // A bare message is kept as its bytes; an event out of an array as its own JSON.
            const raw = single ? textOf(message.value) : JSON.stringify(input);
            dlq.push({ key: message.key, record: quarantineOf(raw, result, message.timestamp) });
            metrics.quarantined.inc({ step: result.step, reason: reasonKind(result.reason) });
          }
        });
      }
    }
    metrics.batchSize.observe({ consumer: 'events' }, messages);
    const token = dedupToken('events', deliveries);
    await insert(
      'events',
      {
        count: rows.rows,
        run: (w) => w.insertBody('events', EVENT_COLUMNS, rows.bytes(), token),
      },
      deliveries,
    );
    if (dlq.length > 0) {
      const records = dlq.map(({ record }) => record);
      await insert(
        'events_quarantine',
        { count: records.length, run: (w) => w.insert('events_quarantine', records, token) },
        deliveries,
      );
      await retryWhileActive(() => deps.dlq.send(dlq), {
        deliveries,
        what: `send ${dlq.length} records to the DLQ`,
        log,
      });
    }
  };
}

const textOf = (value: Buffer | null) => (value === null ? '' : value.toString('utf8'));

function quarantineOf(
  raw: string,
  result: { step: string; reason: string },
  brokerTime: number,
): QuarantineRecord {
  return {
    step: result.step,
    reason: result.reason.slice(0, 2048),
    project_id: projectOf(raw),
    received_at: Number.isFinite(brokerTime) ? brokerTime : Date.now(),
    raw: raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw,
    source: 'processor',
  };
}

/** The project of a quarantined input when it can still be read, '' otherwise. */
function projectOf(raw: string): string {
  const match = /"project_id"\s*:\s*"([^"]{1,64})"/.exec(raw);
  return match?.[1] ?? '';
}

/** A low-cardinality label for a reason: its path and rule, without values. */
function reasonKind(reason: string): string {
  const match = /^(.*?): .*\(([a-z_]+)\)$/.exec(reason);
  const kind = match ? `${match[1]} ${match[2]}` : (reason.split(':')[0] ?? 'unknown');
  return kind.slice(0, 64);
}
