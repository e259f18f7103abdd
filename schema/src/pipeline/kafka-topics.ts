/**
 * Creates Kafka topics and waits until every partition has a leader.
 *
 * kafkajs's own `createTopics({ waitForLeaders: true })` retries only while
 * the broker answers LEADER_NOT_AVAILABLE. A broker whose metadata cache has
 * not yet caught up with the controller answers UNKNOWN_TOPIC_OR_PARTITION
 * instead ("This server does not host this topic-partition"), and kafkajs then
 * fails the call although the topic was created. On a busy machine that
 * happens right after creation; `gosight init` failed that way in CI. This
 * helper creates without kafkajs's wait and polls the metadata itself,
 * retrying both answers until a deadline.
 *
 * Typed structurally so that the schema package does not depend on kafkajs;
 * a kafkajs `Admin` fits.
 */
import { kafkaErrorType } from './kafka-errors';

/** One topic to create, in kafkajs's shape. */
export interface TopicToCreate {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

/** The part of a kafkajs `Admin` this helper uses. */
export interface TopicAdmin {
  createTopics(options: { topics: TopicToCreate[]; waitForLeaders?: boolean }): Promise<boolean>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<{
    topics: { name: string; partitions: { partitionId: number; leader: number }[] }[];
  }>;
}

/** Kafka error types that mean "not ready yet" right after a topic is created. */
const NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates `topics` (those that exist are left as they are) and resolves once
 * each has at least its `numPartitions` partitions, all with a leader.
 * Returns what kafkajs's `createTopics` returned: false when every topic
 * already existed.
 */
export async function createTopicsAndWait(
  admin: TopicAdmin,
  topics: TopicToCreate[],
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  const deadline = Date.now() + timeoutMs;
  let waitingFor = '';
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
      waitingFor = notReady(topics, metadata.topics);
      if (!waitingFor) return created;
    } catch (error) {
      const type = kafkaErrorType(error, NOT_READY);
      if (!type) throw error;
      waitingFor = `${type} (${error instanceof Error ? error.message : String(error)})`;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Kafka created ${topics.map((t) => t.topic).join(', ')} but its partitions had no leaders ` +
          `within ${Math.round(timeoutMs / 1000)} s; last answer: ${waitingFor}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** '' when every topic is ready, else what is missing. */
function notReady(
  wanted: TopicToCreate[],
  found: { name: string; partitions: { partitionId: number; leader: number }[] }[],
): string {
  for (const topic of wanted) {
    const meta = found.find((t) => t.name === topic.topic);
    if (!meta) return `${topic.topic} not in the metadata`;
    if (meta.partitions.length < (topic.numPartitions ?? 1)) {
      return `${topic.topic} has ${meta.partitions.length} of ${topic.numPartitions} partitions`;
    }
    const leaderless = meta.partitions.filter((p) => p.leader < 0).map((p) => p.partitionId);
    if (leaderless.length > 0) {
      return `${topic.topic} partitions ${leaderless.join(', ')} have no leader`;
    }
  }
  return '';
}
