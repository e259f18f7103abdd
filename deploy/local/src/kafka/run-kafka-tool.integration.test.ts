import { createTopicsAndWait } from '@gosight/schema';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureProducer } from './fixture-producer';
import { serviceEnv, uniqueSuffix } from '../../../../test/services';
import { waitFor } from '../wait-for';
import { runKafkaTool } from './run-kafka-tool';

const CONSUMER_GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';

/** Rows of `kafka-consumer-groups --describe` as header → value records. */
function parseDescribe(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').map((l) => l.trim().split(/\s+/));
  const header = lines.find((cols) => cols[0] === 'GROUP');
  if (header === undefined) return [];
  return lines
    .filter((cols) => cols.length === header.length && cols[0] !== 'GROUP')
    .map((cols) => Object.fromEntries(header.map((h, i) => [h, cols[i] ?? ''])));
}

// The Apache Kafka CLI is the reference for what a group has committed; tests of the
// processor compare against it, so here it is checked against a group we drive ourselves.
describe('runKafkaTool', () => {
  const suffix = uniqueSuffix();
  const topic = `local-tool-${suffix}`;
  const groupId = `local-tool-${suffix}`;
  const kafka = new Kafka({
    clientId: 'gosight-local-test',
    brokers: serviceEnv().kafkaBrokers,
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('ConsumerGroupCommand --describe shows the offsets a group committed', async () => {
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
    const producer = fixtureProducer(kafka);
    await producer.connect();
    await producer.send({ topic, messages: [1, 2, 3, 4, 5].map((n) => ({ value: `m${n}` })) });
    await producer.disconnect();

    // Consume 3 of the 5 and commit exactly offset 3, so the tool must report lag 2.
    // A short fetch wait so disconnect() does not sit out a 5 s long poll.
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        seen += 1;
        if (message.offset === '2') {
          await consumer.commitOffsets([{ topic, partition: 0, offset: '3' }]);
        }
      },
    });
    await waitFor(() => seen >= 5, { timeoutMs: 30_000, intervalMs: 50, what: '5 messages' });
    await consumer.disconnect();

    const result = await runKafkaTool(CONSUMER_GROUP_COMMAND, [
      '--bootstrap-server',
      serviceEnv().kafkaBrokers.join(','),
      '--describe',
      '--group',
      groupId,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rows = parseDescribe(result.stdout).filter((r) => r.TOPIC === topic);
    expect(rows).toEqual([
      expect.objectContaining({
        GROUP: groupId,
        PARTITION: '0',
        'CURRENT-OFFSET': '3',
        'LOG-END-OFFSET': '5',
        LAG: '2',
      }),
    ]);
  });

  it('reports a failing tool through its exit code', async () => {
    const result = await runKafkaTool(CONSUMER_GROUP_COMMAND, ['--no-such-option']);
    expect(result.code).not.toBe(0);
  });
});
