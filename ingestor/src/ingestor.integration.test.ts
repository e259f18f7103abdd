import { randomUUID } from 'node:crypto';
import { checkEnrichedEvent, HEADERS, type ErrorBody, type WireEvent } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv } from '../../test/services';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy';
import type { IngestorApp } from './app';
import type { EventProducer } from './bus/event-producer';
import {
  readTopic,
  startKafkaTestApp,
  viaProxy,
  type KafkaTestApp,
  type ReadMessage,
} from './bus/kafka-test-support';
import { CHROME_UA, TEST_ORIGIN, TEST_PROJECT, validEvents } from './test-support';

const BUFFER = 200;
let kafka: KafkaTestApp;
let brokers: string[];
let topics: { raw: string; dlq: string };
let proxy: TcpProxy;
let producer: EventProducer;
let built: IngestorApp;

beforeAll(async () => {
  const [host = '127.0.0.1', port = '9092'] = (serviceEnv().kafkaBrokers[0] ?? '').split(':');
  proxy = await startTcpProxy(host, Number(port));
  // Every broker connection (seed and advertised alike) goes through the proxy.
  kafka = await startKafkaTestApp(
    'main',
    { maxBufferedEvents: BUFFER, ackTimeoutMs: 1500, socketFactory: viaProxy(() => proxy.port) },
    { retryAfterSeconds: 1 },
  );
  ({ brokers, topics, producer, built } = kafka);
});

afterAll(async () => {
  await kafka?.close();
  await proxy?.dispose();
});

function events(count: number, session: string): WireEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    ...validEvents.click,
    id: randomUUID(),
    session_id: session,
    ts: now - 1000 + i,
  }));
}

const post = (batch: WireEvent[]) =>
  built.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { 'content-type': 'text/plain', origin: TEST_ORIGIN, 'user-agent': CHROME_UA },
    payload: JSON.stringify({ project: TEST_PROJECT, sent_at: Date.now(), events: batch }),
  });

/** The messages read, exact copies (a resent request) counted once. */
const distinct = (messages: ReadMessage[]) => [
  ...new Map(messages.map((m) => [JSON.stringify([m.key, m.value, m.headers]), m])).values(),
];

/** The event ids a raw message carries (a JSON array of one session's events). */
const idsOf = (value: string) =>
  (JSON.parse(value) as { event_id: string }[]).map((e) => e.event_id);

describe('ingestor on the real Kafka broker', () => {
  it('produces enriched events keyed by session with headers, and quarantines bad ones to the DLQ', async () => {
    const a = events(3, 'sess_a');
    const b = events(2, 'sess_b');
    const bad = { ...events(1, 'sess_bad')[0], payload: { x: 'left' } } as unknown as WireEvent;
    const res = await post([...a, bad, ...b]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 5, quarantined: 1 });

    // 202 means acknowledged: the messages are in the topic already; one per session. The
    // kafkajs adapter sends a failed request again whole (at least once; the processor keeps
    // one row per event), so on a loaded broker a message may be there twice, as an exact copy.
    const raw = distinct(
      await readTopic(brokers, topics.raw, (m) => distinct(m).length >= 2, 20_000),
    );
    expect(raw).toHaveLength(2);
    for (const message of raw) {
      const events = JSON.parse(message.value) as unknown[];
      for (const event of events) {
        const checked = checkEnrichedEvent(event);
        expect(checked.ok ? 'valid' : checked.reason).toBe('valid');
        expect(message.key).toBe((event as { session_id: string }).session_id);
      }
      expect(message.headers).toEqual({
        [HEADERS.schema]: '1',
        [HEADERS.project]: TEST_PROJECT,
        [HEADERS.events]: String(events.length),
      });
    }
    const byKey: Record<string, string[]> = {};
    for (const m of raw) byKey[m.key ?? ''] = idsOf(m.value);
    expect(byKey).toEqual({ sess_a: a.map((e) => e.id), sess_b: b.map((e) => e.id) });
    // The broker's round trips are measured apart from the wait in the buffer.
    const metrics = await built.metrics.registry.metrics();
    const requests = /^gosight_ingestor_bus_request_seconds_count (\d+)/m.exec(metrics)?.[1];
    expect(Number(requests)).toBeGreaterThanOrEqual(1);

    const dlq = distinct(await readTopic(brokers, topics.dlq, (m) => m.length >= 1, 20_000));
    expect(dlq).toHaveLength(1);
    const record = JSON.parse(dlq[0]?.value ?? '{}') as Record<string, string>;
    expect(record).toMatchObject({
      step: 'validate-event',
      source: 'ingestor',
      project_id: TEST_PROJECT,
    });
    expect(record.reason).toMatch(/^events\.3\.payload/);
    expect(JSON.parse(record.raw ?? '')).toEqual(bad);
  });

  it('answers 503 within the buffer bound while the broker is unreachable, and loses nothing it acknowledged', async () => {
    await proxy.close();
    const batches = Array.from({ length: 20 }, (_, i) => events(25, `down_${i}`));
    const answers = await Promise.all(batches.map((batch) => post(batch)));
    for (const res of answers) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    }
    const codes = answers.map((res) => (JSON.parse(res.body) as ErrorBody).error.code);
    // The buffer takes 200 events = 8 batches; the rest are refused at once.
    expect(codes.filter((code) => code === 'BUS_BUFFER_FULL').length).toBeGreaterThanOrEqual(12);
    expect(producer.bufferedEvents()).toBeLessThanOrEqual(BUFFER);
    expect((await built.app.inject('/readyz')).statusCode).toBe(503);

    await proxy.open();
    // The client retries each batch until it is acknowledged, honouring Retry-After.
    const acknowledged: string[] = [];
    for (const batch of batches) {
      for (let attempt = 0; ; attempt++) {
        const res = await post(batch);
        if (res.statusCode === 202) break;
        expect(res.statusCode).toBe(503);
        expect(attempt).toBeLessThan(60);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      acknowledged.push(...batch.map((e) => e.id));
    }
    expect((await built.app.inject('/readyz')).statusCode).toBe(200);

    const wanted = new Set(acknowledged);
    const hasAll = (m: ReadMessage[]) => {
      const ids = new Set(m.flatMap((x) => idsOf(x.value)));
      return [...wanted].every((id) => ids.has(id));
    };
    const after = await readTopic(brokers, topics.raw, hasAll, 60_000);
    const seen = new Set(after.flatMap((m) => idsOf(m.value)));
    const missing = [...wanted].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
  });
});
