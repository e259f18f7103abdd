/**
 * The floor under the processor's CPU per row with this stack. It pre-fills
 * a topic of its own the way run.ts does, then consumes it several times with
 * kafkajs (the consumer settings of kafka-event-source.ts, offsets committed
 * per batch), each pass under a new group and doing a little more:
 *   consume   kafkajs alone, the messages untouched
 *   parse     + one JSON.parse per message
 *   validate  + the processor's validation of every event (fast path, else zod)
 *   row       + the events row line of every event (what one insert carries)
 * and prints the CPU of this process per row for each pass. Only the
 * consumer runs during a pass (the pre-fill is done by then). The processor
 * parses every message twice (once per consumer group) and does much more
 * than `row`; `row` is what a design that reads each message once with
 * kafkajs, parses it with JSON.parse and writes this row line cannot go below.
 *
 *   npx tsx bench/processor/floor.ts [--events 300000] [--per-message 5]
 */
import { parseArgs } from 'node:util';
import { createTopicsAndWait, rawMessageEvents } from '@gosight/schema';
import { Kafka, logLevel } from 'kafkajs';
import { eventRowLine } from '../../processor/src/events/event-row-line';
import {
  EVENT_SOURCE_RUN,
  eventSourceConsumerConfig,
} from '../../processor/src/consume/kafka-event-source';
import { createIngestPipeline } from '../../processor/src/pipeline/ingest-pipeline';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';
import { rawMessagesOf, type RawMessage } from '../../processor/src/testing/raw-messages';
import { sendRawMessages } from './send-raw';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    'per-message': { type: 'string', default: '5' },
  },
});
const EVENTS = Number(values.events);
const PER_MESSAGE = Number(values['per-message']);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const suffix = Date.now().toString(36);
const topic = `bench.floor.raw.${suffix}`;
const say = (line: string) => console.log(`[floor] ${line}`);

const kafka = new Kafka({ clientId: 'bench-floor', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();

async function prefill(): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  const T0 = Date.UTC(2026, 10, 22, 0);
  let messages: RawMessage[] = [];
  let total = 0;
  const send = async () => {
    await sendRawMessages(producer, topic, messages);
    total += messages.length;
    messages = [];
  };
  for (let made = 0, s = 0; made < EVENTS; made += 20, s++) {
    const events = realisticSession(
      newSession(`pk_bench_${s % 5}`),
      Math.min(20, EVENTS - made),
      T0 + s * 37,
    );
    messages.push(...rawMessagesOf(events, PER_MESSAGE));
    if (messages.length >= 5000) await send();
  }
  await send();
  await producer.disconnect();
  return total;
}

type Work = (value: Buffer) => number;
const ingest = createIngestPipeline();
const passes: [string, Work][] = [
  ['consume', () => 0],
  ['parse', (value) => rawMessageEvents(JSON.parse(value.toString('utf8'))).length],
  [
    'validate',
    (value) => {
      let n = 0;
      ingest(
        { key: null, value, offset: '0', timestamp: 0 },
        (r) => (n += r.kind === 'ok' ? 1 : 0),
      );
      return n;
    },
  ],
  [
    'row',
    (value) => {
      let n = 0;
      ingest({ key: null, value, offset: '0', timestamp: 0 }, (r) => {
        if (r.kind === 'ok') n += eventRowLine(r.value).length;
      });
      return n;
    },
  ],
];

async function pass(name: string, work: Work, messageCount: number): Promise<void> {
  const groupId = `bench-floor-${name}-${suffix}`;
  const consumer = kafka.consumer(eventSourceConsumerConfig({ groupId }));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let cpu: NodeJS.CpuUsage | undefined;
  let started = 0;
  let sink = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      ...EVENT_SOURCE_RUN,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (cpu === undefined) {
          cpu = process.cpuUsage();
          started = Date.now();
        }
        for (const m of batch.messages) if (m.value) sink += work(m.value);
        payload.resolveOffset(batch.lastOffset());
        await consumer.commitOffsets([
          {
            topic,
            partition: batch.partition,
            offset: (BigInt(batch.lastOffset()) + 1n).toString(),
          },
        ]);
        seen += batch.messages.length;
        if (seen >= messageCount) resolve();
      },
    });
  });
  await done;
  const used = process.cpuUsage(cpu);
  const seconds = (Date.now() - started) / 1000;
  const us = (used.user + used.system) / EVENTS;
  say(
    `${name.padEnd(8)} ${us.toFixed(2).padStart(6)} µs CPU a row → ${Math.round(1e6 / us)} rows/s per core (wall ${seconds.toFixed(1)} s, checksum ${sink})`,
  );
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
}

await admin.connect();
await createTopicsAndWait(admin, [{ topic, numPartitions: 3 }]);
try {
  const t = Date.now();
  const messageCount = await prefill();
  say(
    `pre-filled ${topic}: ${EVENTS} events in ${messageCount} messages, ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
  for (const [name, work] of passes) await pass(name, work, messageCount);
  for (const [name, work] of passes) await pass(name, work, messageCount);
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
