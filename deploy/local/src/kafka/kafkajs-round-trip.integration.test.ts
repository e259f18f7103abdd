import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { createTopicsAndWait } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureProducer } from './fixture-producer';
import { serviceEnv, uniqueSuffix } from '../../../../test/services';
import { waitFor } from '../wait-for';

// kafkajs 2.2.4 against the real broker (Kafka 4.x removed old protocol versions, KIP-896):
// topic admin, produce, consume in a group, offset commit and the admin offset reads.
describe('kafkajs against the local Kafka broker', () => {
  const suffix = uniqueSuffix();
  const topic = `local-roundtrip-${suffix}`;
  const groupId = `local-roundtrip-${suffix}`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    kafka = new Kafka({
      clientId: 'gosight-local-test',
      brokers: serviceEnv().kafkaBrokers,
      logLevel: logLevel.WARN,
    });
    admin = kafka.admin();
    producer = fixtureProducer(kafka);
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('creates a topic, produces, consumes in a group and commits offsets', async () => {
    expect(
      // kafkajs's own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION from a busy broker
      await createTopicsAndWait(admin, [{ topic, numPartitions: 3 }]),
    ).toBe(true);
    const sent = Array.from({ length: 12 }, (_, i) => ({
      key: `session-${i % 4}`,
      value: `event-${i}`,
    }));
    const acks = await producer.send({ topic, messages: sent });
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const received: { key: string; value: string; partition: number }[] = [];
    // a rebalance of the group hands records over again from the last commit: count each once
    const seen = new Set<string>();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        if (seen.has(`${partition}:${message.offset}`)) return Promise.resolve();
        seen.add(`${partition}:${message.offset}`);
        received.push({ key: String(message.key), value: String(message.value), partition });
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length >= sent.length, {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: `${sent.length} messages on ${topic}`,
    });
    expect(received.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    // Same key, same partition: the per-session ordering the pipeline relies on.
    const partitionOf = new Map<string, Set<number>>();
    for (const m of received)
      partitionOf.set(m.key, (partitionOf.get(m.key) ?? new Set()).add(m.partition));
    expect([...partitionOf.values()].every((p) => p.size === 1)).toBe(true);

    // High watermarks (ListOffsets) add up to what we produced.
    const ends = await admin.fetchTopicOffsets(topic);
    expect(ends).toHaveLength(3);
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(sent.length);

    // The group's committed offsets (OffsetCommit, read back with OffsetFetch) reach the end.
    const committed = async (): Promise<number> => {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    };
    await waitFor(async () => (await committed()) === sent.length, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: `group ${groupId} to commit ${sent.length} offsets`,
    });
    expect(await committed()).toBe(sent.length);

    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]?.state).toBe('Stable');
  });
});
