/**
 * Poison messages are quarantined with a reason (events_quarantine + DLQ),
 * never block their partition (lag returns to 0), and `gosight dlq list` /
 * `gosight dlq replay` inspect and re-drive them.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineRecord } from '@gosight/schema';
import { readConsumerLag } from './cli/consumer-lag';
import type { Processor } from './processor';
import { enrichedEvent, newSession, realisticSession } from './testing/enriched-builder';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from './testing/harness';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/gosight.mjs', import.meta.url));
const T0 = Date.UTC(2026, 10, 22, 12);
let env: TestEnv;
let processor: Processor;
let running: RunningProcessor;
const session = newSession('pk_poison');
const good = realisticSession(session, 5, T0);
const badId = {
  ...enrichedEvent(session, 'scroll', { depth: 10 }, { ts: T0, url: 'https://shop.example.com/' }),
  event_id: 'not-a-uuid',
};
// Valid now, quarantined by "an older processor": what dlq replay is for.
const fixable = enrichedEvent(
  session,
  'custom',
  { name: 'late_fix' },
  { ts: T0 + 9000, url: 'https://shop.example.com/' },
);

async function gosight(args: string[]) {
  const { stdout } = await run(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      KAFKA_BROKERS: env.brokers.join(','),
      CLICKHOUSE_URL: env.clickhouseUrl,
      CLICKHOUSE_DATABASE: env.settings.database,
      GOSIGHT_TOPIC_RAW: env.settings.topic,
      GOSIGHT_TOPIC_DLQ: env.settings.dlqTopic,
    },
  });
  return stdout;
}
const count = async (sql: string) => Number((await env.query<{ n: string }>(sql))[0]?.n);

beforeAll(async () => {
  env = await createTestEnv('poison');
  running = await startProcessor(env);
  processor = running.processor;
});

afterAll(async () => {
  await running?.close();
  await env?.cleanup();
});

describe('poison messages', () => {
  it('are quarantined with step and reason while good events around them are stored', async () => {
    await env.produce(good.slice(0, 2));
    // A bare bad event (format 1), an array with a good and a bad event, an empty array.
    await env.produceRaw([
      '{not json',
      JSON.stringify(badId),
      JSON.stringify([good[2], 7]),
      '[]',
      null,
    ]);
    await env.produce(good.slice(3));
    const record: QuarantineRecord = {
      step: 'validate-event',
      reason: 'old rule',
      project_id: 'pk_poison',
      received_at: T0,
      raw: JSON.stringify(fixable),
      source: 'processor',
    };
    await env.producer.send({
      topic: env.settings.dlqTopic,
      messages: [{ key: session.sessionId, value: JSON.stringify(record) }],
    });

    expect(
      await waitUntil(
        async () => (await count('SELECT count() AS n FROM {db}.events_quarantine')) === 4,
        60_000,
      ),
    ).toBe(true);
    expect(
      await waitUntil(
        async () => (await count('SELECT count() AS n FROM {db}.events FINAL')) === 5,
        30_000,
      ),
    ).toBe(true);
    const rows = await env.query<{
      step: string;
      reason: string;
      raw: string;
      source: string;
      project_id: string;
    }>('SELECT step, reason, raw, source, project_id FROM {db}.events_quarantine ORDER BY raw');
    expect(rows).toEqual([
      {
        step: 'validate-event',
        reason: expect.stringMatching(/^\(root\): /) as string,
        raw: '7',
        source: 'processor',
        project_id: '',
      },
      {
        step: 'decode',
        reason: 'message carries an empty event list',
        raw: '[]',
        source: 'processor',
        project_id: '',
      },
      {
        step: 'validate-event',
        reason: expect.stringMatching(/^event_id: .*\(invalid_format\)$/) as string,
        raw: JSON.stringify(badId),
        source: 'processor',
        project_id: 'pk_poison',
      },
      {
        step: 'decode',
        reason: expect.stringMatching(/^not JSON: /) as string,
        raw: '{not json',
        source: 'processor',
        project_id: '',
      },
    ]);
  });

  it('do not block the partition: the group gets back to lag 0', async () => {
    const caughtUp = await waitUntil(async () => {
      const lag = await readConsumerLag(env.admin, env.settings.group, env.settings.topic);
      return lag.total === 0;
    }, 30_000);
    expect(caughtUp).toBe(true);
    const text = await processor.metrics.registry.getSingleMetricAsString(
      'gosight_processor_quarantined_total',
    );
    expect(text).toMatch(/step="decode".* 1$/m);
    expect(text).toMatch(/step="validate-event".* 1$/m);
  });

  it('dlq list shows them; dlq replay re-drives what is valid now, once', async () => {
    const listed = (await gosight(['dlq', 'list', '--json']))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string });
    expect(listed.map((r) => r.step).sort()).toEqual([
      'decode',
      'decode',
      'validate-event',
      'validate-event',
    ]);

    const dry = await gosight(['dlq', 'replay', '--dry-run']);
    expect(dry).toContain('5 read, 1 would be re-driven, 4 still invalid');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(5);

    expect(await gosight(['dlq', 'replay'])).toContain('1 re-driven, 4 still invalid');
    expect(
      await waitUntil(
        async () => (await count('SELECT count() AS n FROM {db}.events FINAL')) === 6,
        30_000,
      ),
    ).toBe(true);
    const sessionEvents = async () =>
      count(
        `SELECT event_count AS n FROM {db}.sessions FINAL WHERE session_id = '${session.sessionId}'`,
      );
    expect(await waitUntil(async () => (await sessionEvents()) === 6, 30_000)).toBe(true);

    // A second replay of the same DLQ changes nothing a query can see.
    await gosight(['dlq', 'replay']);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(6);
    expect(await sessionEvents()).toBe(6);
  });
});
