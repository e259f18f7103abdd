/**
 * Failover 4: `gosight lag` across the three brokers (12 partitions, leaders on all three,
 * every broker in the bootstrap list) equals Apache Kafka's own
 * `kafka-consumer-groups --describe` (ConsumerGroupCommand from the same jars).
 */
import { createTopicsAndWait } from '@gosight/schema';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runKafkaTool } from '@gosight/local';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '../services';
import { failoverCluster } from './failover-topology';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../processor/bin/gosight.mjs', import.meta.url));
const cluster = failoverCluster();
const suffix = uniqueSuffix();
const topic = `failover.lag.${suffix}`;
const group = `failover-lag-${suffix}`;
let admin: Admin;

beforeAll(async () => {
  const kafka = new Kafka({
    clientId: 'failover-lag',
    brokers: cluster.brokers,
    logLevel: logLevel.NOTHING,
  });
  admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [{ topic, numPartitions: 12, replicationFactor: 3 }]);
  // Idempotent: a retried produce on the loaded cluster once wrote 96 messages twice (CI, lag 216).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // 10 + p messages on partition p; the group committed p of them.
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: 12 }, (_, p) =>
      Array.from({ length: 10 + p }, (_, i) => ({ partition: p, value: `m${p}.${i}` })),
    ).flat(),
  });
  await producer.disconnect();
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: Array.from({ length: 12 }, (_, p) => ({ partition: p, offset: String(p) })),
  });
});

afterAll(async () => {
  await admin?.deleteGroups([group]).catch(() => undefined);
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
});

describe('gosight lag on the 3-broker cluster', () => {
  it('equals kafka-consumer-groups --describe', async () => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const leaders = new Set(meta.topics[0]?.partitions.map((p) => p.leader));
    expect(leaders.size).toBe(3);

    const bootstrap = cluster.brokers.join(',');
    const ours = await run(
      process.execPath,
      [BIN, 'lag', '--group', group, '--topic', topic, '--json'],
      {
        env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: bootstrap },
      },
    );
    const report = JSON.parse(ours.stdout) as {
      groups: {
        partitions: { partition: number; committed: string; end: string; lag: number }[];
      }[];
      total: number;
    };
    const mine = (report.groups[0]?.partitions ?? []).map((p) => [
      p.partition,
      Number(p.committed),
      Number(p.end),
      p.lag,
    ]);

    const tool = await runKafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--group',
      group,
    ]);
    expect(tool.code).toBe(0);
    const theirs = tool.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[0] === group && cols[1] === topic)
      .map((cols) => [Number(cols[2]), Number(cols[3]), Number(cols[4]), Number(cols[5])])
      .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    // Partition p: 10 + p messages, p committed. The end offsets are read from the brokers, so a
    // copy a retry wrote counts on both sides and fails only the exact-count check below.
    const ends = await admin.fetchTopicOffsets(topic);
    const expectedTotal = ends.reduce((sum, p) => sum + Number(p.high) - p.partition, 0);
    console.log(
      `[lag] leaders on brokers ${[...leaders].sort().join(', ')}; gosight lag total ${report.total}, ` +
        `kafka-consumer-groups total ${theirs.reduce((s, c) => s + (c[3] ?? 0), 0)} (expected ${expectedTotal})\n` +
        `kafka-consumer-groups --describe --bootstrap-server ${bootstrap}:\n${tool.stdout}`,
    );
    expect(theirs).toHaveLength(12);
    expect(mine).toEqual(theirs);
    expect(report.total).toBe(expectedTotal);
    expect(expectedTotal, 'messages in the topic: each sent once').toBe(12 * 10);
  });
});
