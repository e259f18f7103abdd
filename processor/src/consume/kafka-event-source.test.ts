/**
 * The kafkajs event source starts a new consumer when kafkajs leaves one stopped after a
 * non-retriable crash (restart: false), and leaves restarts after retriable ones to kafkajs.
 */
import type { Kafka } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { createKafkaEventSource } from './kafka-event-source';

type CrashListener = (event: { payload: { error: Error; restart: boolean } }) => void;
type EachBatch = (payload: unknown) => Promise<void>;

/** A stand-in for kafkajs's Kafka: records the consumers it made and their crash listeners. */
function fakeKafka(commit: () => Promise<void> = () => Promise.resolve()) {
  const consumers: {
    crash?: CrashListener;
    eachBatch?: EachBatch;
    runs: number;
    disconnects: number;
  }[] = [];
  const kafka = {
    consumer: () => {
      const record: (typeof consumers)[number] = { runs: 0, disconnects: 0 };
      consumers.push(record);
      return {
        events: { CRASH: 'consumer.crash' },
        on: (_name: string, listener: CrashListener) => (record.crash = listener),
        connect: () => Promise.resolve(),
        subscribe: () => Promise.resolve(),
        run: (config: { eachBatch: EachBatch }) => {
          record.runs += 1;
          record.eachBatch = config.eachBatch;
          return Promise.resolve();
        },
        disconnect: () => {
          record.disconnects += 1;
          return Promise.resolve();
        },
        commitOffsets: commit,
      };
    },
  } as unknown as Kafka;
  return { kafka, consumers };
}

describe('kafkajs event source', () => {
  it('starts a new consumer after a crash kafkajs does not restart from', async () => {
    vi.useFakeTimers();
    try {
      const { kafka, consumers } = fakeKafka();
      const lines: string[] = [];
      const source = createKafkaEventSource({
        kafka,
        topic: 't',
        groupId: 'g',
        log: (line) => lines.push(line),
      });
      await source.start(() => Promise.resolve());
      expect(consumers).toHaveLength(1);

      // A retriable crash: kafkajs restarts that consumer itself.
      consumers[0]?.crash?.({ payload: { error: new Error('timeout'), restart: true } });
      await vi.advanceTimersByTimeAsync(5000);
      expect(consumers).toHaveLength(1);

      consumers[0]?.crash?.({
        payload: {
          error: new Error('The coordinator is not aware of this member'),
          restart: false,
        },
      });
      await vi.advanceTimersByTimeAsync(1000);
      expect(consumers).toHaveLength(2);
      expect(consumers[1]?.runs).toBe(1);
      expect(lines.some((l) => l.includes('started again after a crash'))).toBe(true);

      await source.close();
      expect(consumers[1]?.disconnects).toBe(1);
      // A crash of the stopped source starts nothing.
      consumers[1]?.crash?.({ payload: { error: new Error('late'), restart: false } });
      await vi.advanceTimersByTimeAsync(20_000);
      expect(consumers).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a commit refused for group membership as a rejoin, any other refusal as a failure', async () => {
    const batchPayload = {
      batch: {
        topic: 't',
        partition: 0,
        isEmpty: () => false,
        lastOffset: () => '7',
        messages: [{ key: null, value: Buffer.from('[]'), offset: '7', timestamp: '0' }],
      },
      resolveOffset: () => undefined,
      heartbeat: () => Promise.resolve(),
      isRunning: () => true,
      isStale: () => false,
    };
    const refused = (type: string) => () =>
      Promise.reject(Object.assign(new Error(type), { type }));

    const member = fakeKafka(refused('UNKNOWN_MEMBER_ID'));
    const lines: string[] = [];
    const stored: number[] = [];
    const source = createKafkaEventSource({
      kafka: member.kafka,
      topic: 't',
      groupId: 'g',
      log: (line) => lines.push(line),
    });
    await source.start((delivery) => {
      stored.push(delivery.messages.length);
      return Promise.resolve();
    });
    await expect(member.consumers[0]?.eachBatch?.(batchPayload)).resolves.toBeUndefined();
    expect(stored).toEqual([1]);
    expect(lines.some((l) => l.includes('commit refused'))).toBe(true);

    const other = fakeKafka(refused('TOPIC_AUTHORIZATION_FAILED'));
    const failing = createKafkaEventSource({ kafka: other.kafka, topic: 't', groupId: 'g' });
    await failing.start(() => Promise.resolve());
    await expect(other.consumers[0]?.eachBatch?.(batchPayload)).rejects.toThrow(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });
});
