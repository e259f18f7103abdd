/**
 * What the ingestor quarantined reaches events_quarantine: the processor's
 * DLQ group stores the ingestor's records, keeps unreadable DLQ messages
 * whole, and does not store its own records a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineRecord } from '@gosight/schema';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from '../testing/harness';

let env: TestEnv;
let running: RunningProcessor;

const fromIngestor: QuarantineRecord = {
  step: 'validate-event',
  reason: 'events.1.id: Invalid UUID (invalid_format)',
  project_id: 'pk_dlq',
  received_at: Date.UTC(2026, 10, 22, 12),
  raw: '{"id":"bad","type":"click"}',
  source: 'ingestor',
};
const fromProcessor: QuarantineRecord = { ...fromIngestor, source: 'processor', raw: '{}' };

beforeAll(async () => {
  env = await createTestEnv('dlq-recorder', 1);
  running = await startProcessor(env);
});

afterAll(async () => {
  await running?.close();
  await env?.cleanup();
});

describe('the DLQ recorder', () => {
  it("stores the ingestor's quarantined events, and unreadable DLQ messages whole", async () => {
    await env.producer.send({
      topic: env.settings.dlqTopic,
      acks: -1,
      messages: [
        { key: 's1', value: JSON.stringify(fromProcessor) },
        { key: 's1', value: JSON.stringify(fromIngestor) },
        { key: 's1', value: 'not a record' },
      ],
    });
    const rows = async () =>
      env.query<{ source: string; step: string; reason: string; project_id: string; raw: string }>(
        'SELECT source, step, reason, project_id, raw FROM {db}.events_quarantine ORDER BY step, raw',
      );
    expect(await waitUntil(async () => (await rows()).length >= 2, 60_000)).toBe(true);
    // A later marker proves the first three were all handled before we look.
    await env.producer.send({
      topic: env.settings.dlqTopic,
      acks: -1,
      messages: [{ key: 's1', value: JSON.stringify({ ...fromIngestor, raw: 'marker' }) }],
    });
    expect(
      await waitUntil(async () => (await rows()).some((r) => r.raw === 'marker'), 60_000),
    ).toBe(true);
    expect(await rows()).toEqual(
      [
        {
          source: 'processor',
          step: 'decode-dlq',
          reason: 'DLQ message is not a quarantine record',
          project_id: '',
          raw: 'not a record',
        },
        { ...pick(fromIngestor) },
        { ...pick(fromIngestor), raw: 'marker' },
      ].sort((a, b) => (a.step === b.step ? (a.raw < b.raw ? -1 : 1) : 0)),
    );
  });
});

function pick(r: QuarantineRecord) {
  return { source: r.source, step: r.step, reason: r.reason, project_id: r.project_id, raw: r.raw };
}
