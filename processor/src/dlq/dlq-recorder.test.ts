import { describe, expect, it } from 'vitest';
import type { QuarantineRecord } from '@gosight/schema';
import { createDlqRecorderFlush } from './dlq-recorder';
import type { ConsumedMessage, Delivery } from '../consume/event-source';
import { createMetrics } from '../metrics';
import type { Warehouse } from '../warehouse/warehouse';

const message = (value: string, source?: string): ConsumedMessage => ({
  key: null,
  value: Buffer.from(value),
  offset: '0',
  timestamp: 1_700_000_000_000,
  ...(source === undefined ? {} : { source }),
});

const delivery = (messages: ConsumedMessage[]): Delivery => ({
  topic: 'dlq',
  partition: 0,
  messages,
  heartbeat: () => Promise.resolve(),
  isActive: () => true,
});

describe('DLQ recorder', () => {
  it('skips what the processor quarantined by its header alone, and stores the rest', async () => {
    const stored: QuarantineRecord[] = [];
    const warehouse = {
      insert: (_table: string, rows: readonly object[]) => {
        stored.push(...(rows as QuarantineRecord[]));
        return Promise.resolve();
      },
    } as unknown as Warehouse;
    const flush = createDlqRecorderFlush({ warehouse, metrics: createMetrics(), log: () => {} });
    const ingestor: QuarantineRecord = {
      step: 'validate',
      reason: 'bad',
      project_id: 'pk_x',
      received_at: 1,
      raw: '{}',
      source: 'ingestor',
    };
    await flush([
      delivery([
        // Not even JSON: only the header can tell the recorder to skip it.
        message('not json', 'processor'),
        message(JSON.stringify(ingestor), 'ingestor'),
        message('not json either'),
      ]),
    ]);
    expect(stored.map((r) => [r.step, r.source])).toEqual([
      ['validate', 'ingestor'],
      ['decode-dlq', 'processor'],
    ]);
  });
});
