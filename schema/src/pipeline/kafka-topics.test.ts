import { describe, expect, it } from 'vitest';
import { createTopicsAndWait, type TopicAdmin } from './kafka-topics';

type Metadata = Awaited<ReturnType<TopicAdmin['fetchTopicMetadata']>>;

/** An admin whose metadata answers come from a script, one per call. */
function scriptedAdmin(answers: (Metadata | Error)[]) {
  const calls = { create: [] as unknown[], fetch: 0 };
  const admin: TopicAdmin = {
    createTopics(options) {
      calls.create.push(options);
      return Promise.resolve(true);
    },
    fetchTopicMetadata() {
      const answer = answers[Math.min(calls.fetch, answers.length - 1)]!;
      calls.fetch += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { admin, calls };
}

function kafkaError(type: string, message: string): Error {
  return Object.assign(new Error(message), { type });
}

const ready: Metadata = {
  topics: [
    {
      name: 'raw',
      partitions: [
        { partitionId: 0, leader: 1 },
        { partitionId: 1, leader: 2 },
      ],
    },
  ],
};

describe('createTopicsAndWait', () => {
  it('waits through "does not host this topic-partition" and leaderless partitions', async () => {
    const { admin, calls } = scriptedAdmin([
      kafkaError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition'),
      { topics: [{ name: 'raw', partitions: [{ partitionId: 0, leader: 1 }] }] },
      {
        topics: [
          {
            name: 'raw',
            partitions: [
              { partitionId: 0, leader: 1 },
              { partitionId: 1, leader: -1 },
            ],
          },
        ],
      },
      ready,
    ]);
    const created = await createTopicsAndWait(admin, [{ topic: 'raw', numPartitions: 2 }], {
      pollMs: 1,
    });
    expect(created).toBe(true);
    expect(calls.fetch).toBe(4);
    // kafkajs's own wait is off: it is the one that gives up on the first answer above.
    expect(calls.create).toEqual([
      { topics: [{ topic: 'raw', numPartitions: 2 }], waitForLeaders: false },
    ]);
  });

  it('waits through a "not ready" answer that kafkajs wrapped after its own retries', async () => {
    const exhausted = Object.assign(new Error('Number of retries exceeded'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      cause: kafkaError('LEADER_NOT_AVAILABLE', 'There is no leader for this topic-partition'),
    });
    const { admin, calls } = scriptedAdmin([exhausted, ready]);
    await createTopicsAndWait(admin, [{ topic: 'raw', numPartitions: 2 }], { pollMs: 1 });
    expect(calls.fetch).toBe(2);
  });

  it('passes on any other error at once', async () => {
    const { admin, calls } = scriptedAdmin([
      kafkaError('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics'),
    ]);
    await expect(
      createTopicsAndWait(admin, [{ topic: 'raw', numPartitions: 2 }], { pollMs: 1 }),
    ).rejects.toThrow('Not authorized');
    expect(calls.fetch).toBe(1);
  });

  it('says what it waited for when the deadline passes', async () => {
    const { admin } = scriptedAdmin([
      { topics: [{ name: 'raw', partitions: [{ partitionId: 0, leader: -1 }] }] },
    ]);
    await expect(
      createTopicsAndWait(admin, [{ topic: 'raw', numPartitions: 1 }], {
        timeoutMs: 20,
        pollMs: 5,
      }),
    ).rejects.toThrow(
      /raw but its partitions had no leaders within 0 s; last answer: raw partitions 0 have no leader/,
    );
  });
});
