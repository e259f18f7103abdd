/**
 * Creates the gosight topics when missing, raises their partition count when
 * the configuration asks for more, and sets their retention. Idempotent: a
 * second run changes nothing.
 */
import { createTopicsAndWait } from '@gosight/schema';
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS; Node's ESM loader cannot see this named export in the
// bundled image (tsx can), so take it from the default export.
const { ConfigResourceTypes } = kafkajs;

/** One topic as the deployment wants it. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

/** What {@link ensureTopics} did to one topic. */
export interface TopicOutcome {
  topic: string;
  action: 'created' | 'partitions-raised' | 'unchanged';
  partitions: number;
}

/** Brings each topic to its spec; Kafka cannot lower a partition count, so more is left as is (and logged). */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  log: (line: string) => void,
): Promise<TopicOutcome[]> {
  const existing = new Set(await admin.listTopics());
  const outcomes: TopicOutcome[] = [];
  for (const spec of specs) {
    const retention = { name: 'retention.ms', value: String(spec.retentionMs) };
    if (!existing.has(spec.topic)) {
      await createTopicsAndWait(admin, [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: [retention],
        },
      ]);
      log(`init: created topic ${spec.topic} (${spec.partitions} partitions)`);
      outcomes.push({ topic: spec.topic, action: 'created', partitions: spec.partitions });
      continue;
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [spec.topic] });
    const current = metadata.topics[0]?.partitions.length ?? 0;
    let action: TopicOutcome['action'] = 'unchanged';
    if (current < spec.partitions) {
      await admin.createPartitions({
        topicPartitions: [{ topic: spec.topic, count: spec.partitions }],
      });
      log(`init: ${spec.topic} raised from ${current} to ${spec.partitions} partitions`);
      action = 'partitions-raised';
    } else if (current > spec.partitions) {
      log(
        `init: ${spec.topic} has ${current} partitions, more than the ${spec.partitions} configured; Kafka cannot lower it, left as is`,
      );
    }
    // Not incremental: replaces the topic's dynamic overrides, and retention.ms is the only one we set.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries: [retention] },
      ],
    });
    outcomes.push({ topic: spec.topic, action, partitions: Math.max(current, spec.partitions) });
  }
  return outcomes;
}

/** The two topic specs a configuration describes (raw events and the DLQ). */
export function topicSpecs(config: {
  GOSIGHT_TOPIC_RAW: string;
  GOSIGHT_TOPIC_DLQ: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_TOPIC_REPLICATION_FACTOR: number;
  KAFKA_TOPIC_RETENTION_HOURS: number;
  KAFKA_DLQ_RETENTION_HOURS: number;
}): TopicSpec[] {
  const hours = 3_600_000;
  return [
    {
      topic: config.GOSIGHT_TOPIC_RAW,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      retentionMs: config.KAFKA_TOPIC_RETENTION_HOURS * hours,
    },
    {
      // The DLQ is small and read by hand (`gosight dlq list`): a few partitions are plenty.
      topic: config.GOSIGHT_TOPIC_DLQ,
      partitions: Math.min(3, config.KAFKA_TOPIC_PARTITIONS),
      replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      retentionMs: config.KAFKA_DLQ_RETENTION_HOURS * hours,
    },
  ];
}
