/**
 * The @platformatic/kafka adapter on the real broker, held to what the
 * kafkajs adapter's tests (ingestor.integration.test.ts) hold it to: the same
 * messages, the same partition for a key, 202 only after the acknowledgement,
 * 503 within the buffer bound while the broker is out of reach, nothing
 * acknowledged lost.
 */
import { randomUUID } from 'node:crypto';
import { checkEnrichedEvent, HEADERS, type ErrorBody, type WireEvent } from '@gosight/schema';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { startTcpProxy, type TcpProxy } from '../../../test/tcp-proxy';
import type { EventProducer } from './event-producer';
import { createKafkaProducer } from './kafka-producer';
import { createPlatformaticProducer } from './platformatic-producer';
import {
  createTopics,
  readTopic,
  startKafkaTestApp,
  type KafkaTestApp,
} from './kafka-test-support';
import { CHROME_UA, TEST_ORIGIN, TEST_PROJECT, validEvents } from '../test-support';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
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

const post = (kafka: KafkaTestApp, batch: WireEvent[]) =>
  kafka.built.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { 'content-type': 'text/plain', origin: TEST_ORIGIN, 'user-agent': CHROME_UA },
    payload: JSON.stringify({ project: TEST_PROJECT, sent_at: Date.now(), events: batch }),
  });

const idsOf = (value: string) =>
  (JSON.parse(value) as { event_id: string }[]).map((e) => e.event_id);

describe('the @platformatic/kafka adapter on the real broker', () => {
  it('produces enriched events keyed by session with the schema headers, and bad ones to the DLQ', async () => {
    const kafka = await startKafkaTestApp('plt', {
      client: 'platformatic',
      maxBufferedEvents: 1000,
      ackTimeoutMs: 5000,
    });
    cleanups.push(() => kafka.close());
    const a = events(3, 'sess_a');
    const b = events(2, 'sess_b');
    const bad = { ...events(1, 'sess_bad')[0], payload: { x: 'left' } } as unknown as WireEvent;
    const res = await post(kafka, [...a, bad, ...b]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 5, quarantined: 1 });

    const raw = await readTopic(kafka.brokers, kafka.topics.raw, (m) => m.length >= 2, 20_000);
    expect(raw).toHaveLength(2);
    for (const message of raw) {
      const sent = JSON.parse(message.value) as unknown[];
      for (const event of sent) {
        const checked = checkEnrichedEvent(event);
        expect(checked.ok ? 'valid' : checked.reason).toBe('valid');
        expect(message.key).toBe((event as { session_id: string }).session_id);
      }
      expect(message.headers).toEqual({
        [HEADERS.schema]: '1',
        [HEADERS.project]: TEST_PROJECT,
        [HEADERS.events]: String(sent.length),
      });
    }
    const byKey: Record<string, string[]> = {};
    for (const m of raw) byKey[m.key ?? ''] = idsOf(m.value);
    expect(byKey).toEqual({ sess_a: a.map((e) => e.id), sess_b: b.map((e) => e.id) });
    const metrics = await kafka.built.metrics.registry.metrics();
    const requests = /^gosight_ingestor_bus_request_seconds_count (\d+)/m.exec(metrics)?.[1];
    expect(Number(requests)).toBeGreaterThanOrEqual(1);

    const dlq = await readTopic(kafka.brokers, kafka.topics.dlq, (m) => m.length >= 1, 20_000);
    expect(dlq).toHaveLength(1);
    const record = JSON.parse(dlq[0]?.value ?? '{}') as Record<string, string>;
    expect(record).toMatchObject({ step: 'validate-event', source: 'ingestor' });
    expect(JSON.parse(record.raw ?? '')).toEqual(bad);
  });

  it('puts every key on the partition kafkajs puts it on (3 partitions: not a power of two)', async () => {
    const brokers = serviceEnv().kafkaBrokers;
    const topic = `ingestor-partitions-${uniqueSuffix()}`;
    cleanups.push(await createTopics(brokers, [topic]));
    const options = {
      brokers,
      maxBufferedEvents: 10_000,
      maxBufferedBytes: 16 * 1024 * 1024,
      batchSize: 500,
      lingerMs: 2,
      ackTimeoutMs: 10_000,
      log: pino({ level: 'silent' }),
    };
    const clients: [string, EventProducer][] = [
      ['kafkajs', await createKafkaProducer(options)],
      ['platformatic', await createPlatformaticProducer(options)],
    ];
    const keys = Array.from({ length: 200 }, () => randomUUID());
    for (const [name, producer] of clients) {
      await producer.send([
        { topic, messages: keys.map((key) => ({ key, value: name, headers: {} })) },
      ]);
      await producer.close();
    }
    const read = await readTopic(brokers, topic, (m) => m.length >= 2 * keys.length, 30_000);
    const partitionOf = (client: string) =>
      Object.fromEntries(
        read.filter((m) => m.value === client).map((m) => [m.key ?? '', m.partition]),
      );
    const kafkajs = partitionOf('kafkajs');
    expect(Object.keys(kafkajs)).toHaveLength(keys.length);
    expect(new Set(Object.values(kafkajs)).size).toBe(3);
    expect(partitionOf('platformatic')).toEqual(kafkajs);
  });

  it('answers 503 within the buffer bound while the broker is out of reach, and loses nothing it acknowledged', async () => {
    const BUFFER = 200;
    const [host = '127.0.0.1', port = '9092'] = (serviceEnv().kafkaBrokers[0] ?? '').split(':');
    const proxy: TcpProxy = await startTcpProxy(host, Number(port));
    cleanups.push(() => proxy.dispose());
    await proxy.close();
    // The client has no socket hook: it bootstraps through the proxy (closed: nothing to
    // reach), then talks to the broker the metadata names. So the outage here is at start.
    const kafka = await startKafkaTestApp(
      'plt-down',
      {
        client: 'platformatic',
        bootstrap: [`127.0.0.1:${proxy.port}`],
        unreachable: true,
        maxBufferedEvents: BUFFER,
        ackTimeoutMs: 1500,
      },
      { retryAfterSeconds: 1 },
    );
    cleanups.push(() => kafka.close());
    const batches = Array.from({ length: 20 }, (_, i) => events(25, `down_${i}`));
    const answers = await Promise.all(batches.map((batch) => post(kafka, batch)));
    for (const res of answers) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    }
    const codes = answers.map((res) => (JSON.parse(res.body) as ErrorBody).error.code);
    expect(codes.filter((code) => code === 'BUS_BUFFER_FULL').length).toBeGreaterThanOrEqual(12);
    expect(kafka.producer.bufferedEvents()).toBeLessThanOrEqual(BUFFER);
    expect((await kafka.built.app.inject('/readyz')).statusCode).toBe(503);

    await proxy.open();
    const acknowledged: string[] = [];
    for (const batch of batches) {
      for (let attempt = 0; ; attempt++) {
        const res = await post(kafka, batch);
        if (res.statusCode === 202) break;
        expect(res.statusCode).toBe(503);
        expect(attempt).toBeLessThan(60);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      acknowledged.push(...batch.map((e) => e.id));
    }
    expect((await kafka.built.app.inject('/readyz')).statusCode).toBe(200);

    const wanted = new Set(acknowledged);
    const after = await readTopic(
      kafka.brokers,
      kafka.topics.raw,
      (m) => new Set(m.flatMap((x) => idsOf(x.value))).size >= wanted.size,
      60_000,
    );
    const seen = new Set(after.flatMap((m) => idsOf(m.value)));
    expect([...wanted].filter((id) => !seen.has(id))).toEqual([]);
  });
});
