/** Sends quarantine records to the DLQ topic (value = QuarantineRecord JSON, key = original key). */
import type { Producer } from 'kafkajs';
import { HEADERS, type QuarantineRecord } from '@gosight/schema';
import { busError } from '../errors';

/** A quarantined input with the Kafka key it arrived with. */
export interface DlqEntry {
  key: Buffer | null;
  record: QuarantineRecord;
}

export interface DlqProducer {
  send(entries: readonly DlqEntry[]): Promise<void>;
}

/** Creates the DLQ sender on a connected producer (the caller owns the producer). */
export function createDlqProducer(producer: Producer, topic: string): DlqProducer {
  return {
    async send(entries) {
      if (entries.length === 0) return;
      try {
        await producer.send({
          topic,
          acks: -1,
          messages: entries.map(({ key, record }) => ({
            key,
            value: JSON.stringify(record),
            headers: {
              [HEADERS.project]: record.project_id,
              [HEADERS.source]: record.source,
              'gosight-step': record.step,
            },
          })),
        });
      } catch (error) {
        throw busError(`produce to ${topic}`, error);
      }
    },
  };
}
