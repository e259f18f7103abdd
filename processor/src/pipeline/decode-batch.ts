/**
 * The one decode of a batch: every message of the coalesced deliveries is
 * decoded and validated once, and what it holds is sorted at once into what
 * each store needs — the events' row lines, the inputs set aside (with the
 * quarantine record each becomes) and the session fields of each valid event.
 */
import { quarantineRecordOf, type QuarantineRecord } from '@gosight/schema';
import type { DlqEntry } from '../dlq/dlq-producer';
import type { Delivery } from '../consume/event-source';
import { eventRowLine } from '../events/event-row-line';
import { createIngestPipeline } from './ingest-pipeline';
import type { Metrics } from '../metrics';
import { RowBody } from '../events/row-body';
import { sessionEventOf, type SessionEvent } from '../sessions/session-store';
import { identifyProfileRow, toProfileRow, type ProfileRow } from '../profiles/profile-row';
import type { SegmentCache } from '../profiles/segment-cache';

/** What one batch holds, decoded once. */
export interface DecodedBatch {
  deliveries: readonly Delivery[];
  /** the valid events as one JSONCompactEachRow body */
  rows: RowBody;
  /** the inputs set aside, as quarantine records (with their message keys, for the DLQ) */
  quarantined: DlqEntry[];
  /** the session fields of every valid event, in arrival order */
  sessionEvents: SessionEvent[];
  /** the `user_profiles` rows: profiles messages and identify events */
  profiles: ProfileRow[];
  messages: number;
}

/**
 * Creates the function that decodes a batch once for both stores. Each event's
 * row carries its user's segment at the event's time from `segments`; a
 * server profile of the stream updates `segments` at once, for the events
 * decoded after it.
 */
export function createBatchDecoder(metrics: Metrics, segments: SegmentCache) {
  const ingest = createIngestPipeline();
  return function decodeBatch(deliveries: readonly Delivery[]): DecodedBatch {
    const batch: DecodedBatch = {
      deliveries,
      rows: new RowBody(),
      quarantined: [],
      sessionEvents: [],
      profiles: [],
      messages: 0,
    };
    for (const delivery of deliveries) {
      for (const message of delivery.messages) {
        batch.messages += 1;
        const setAside = (
          result: { kind: 'quarantine' | 'drop'; step: string; reason: string; rule?: string },
          input: unknown,
          single: boolean,
        ) => {
          if (result.kind === 'drop') {
            metrics.dropped.inc({ step: result.step });
            return;
          }
          // A bare message is kept as its bytes; an event out of an array as its own JSON.
          const raw = single ? textOf(message.value) : JSON.stringify(input);
          batch.quarantined.push({
            key: message.key,
            record: quarantineOf(raw, result, message.timestamp),
          });
          metrics.quarantined.inc({ step: result.step, reason: result.rule ?? '' });
        };
        ingest(
          message,
          (result, input, single) => {
            if (result.kind !== 'ok') return setAside(result, input, single);
            const event = result.value;
            const segment = segments.segmentAt(event.project_id, event.user_id, event.ts);
            batch.rows.append(eventRowLine(event, segment));
            batch.sessionEvents.push(sessionEventOf(event));
            if (event.type === 'custom') {
              const profile = identifyProfileRow(event);
              if (profile) batch.profiles.push(profile);
            }
          },
          (result, input) => {
            if (result.kind !== 'ok') return setAside(result, input, false);
            const profile = result.value;
            segments.apply(
              profile.project_id,
              profile.user_id,
              profile.segment,
              profile.updated_at,
            );
            batch.profiles.push(toProfileRow(profile));
          },
        );
      }
    }
    metrics.batchSize.observe({ consumer: 'events' }, batch.messages);
    return batch;
  };
}

const textOf = (value: Buffer | null) => (value === null ? '' : value.toString('utf8'));

function quarantineOf(
  raw: string,
  result: { step: string; reason: string },
  brokerTime: number,
): QuarantineRecord {
  return quarantineRecordOf({
    step: result.step,
    reason: result.reason,
    project_id: projectOf(raw),
    received_at: Number.isFinite(brokerTime) ? brokerTime : Date.now(),
    raw,
    source: 'processor',
  });
}

/** The project of a quarantined input when it can still be read, '' otherwise. */
function projectOf(raw: string): string {
  const match = /"project_id"\s*:\s*"([^"]{1,64})"/.exec(raw);
  return match?.[1] ?? '';
}
