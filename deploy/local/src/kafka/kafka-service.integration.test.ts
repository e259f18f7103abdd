import { createTopicsAndWait } from '@gosight/schema';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureProducer } from './fixture-producer';
import { serviceEnv, uniqueSuffix } from '../../../../test/services';
import { readLivePid } from '../pidfile';
import { kafkaService } from './kafka-service';

// Ingestor tests stop and restart the broker; that only works (and is only tested) when
// the broker under test is the one gosight started, not a Kafka the user brought.
const ours =
  serviceEnv().kafkaBrokers.join(',') === kafkaService.address &&
  readLivePid('kafka') !== undefined;

describe.skipIf(!ours)('kafkaService stop and start', () => {
  const topic = `local-restart-${uniqueSuffix()}`;
  const kafka = new Kafka({
    clientId: 'gosight-local-test',
    brokers: [kafkaService.address],
    logLevel: logLevel.NOTHING,
  });
  const quiet = (): void => undefined;

  afterAll(async () => {
    // Leave a healthy broker for the test files after this one, whatever happened here.
    await kafkaService.start(quiet);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('goes down on stop and comes back on start with its data', async () => {
    const setup = kafka.admin();
    await setup.connect();
    await createTopicsAndWait(setup, [{ topic, numPartitions: 1 }]);
    await setup.disconnect();
    const producer = fixtureProducer(kafka);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'kept across restarts' }] });
    await producer.disconnect();

    await kafkaService.stop(quiet);
    expect(await kafkaService.isHealthy()).toBe(false);
    expect(readLivePid('kafka')).toBeUndefined();

    expect(await kafkaService.start(quiet)).toBe('started');
    expect(await kafkaService.isHealthy()).toBe(true);

    // Healthy means the port answers; the partition may get its leader back a moment later.
    const admin = kafka.admin();
    await admin.connect();
    const high = async () =>
      (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    await expect.poll(() => high().catch(() => -1), { timeout: 60_000 }).toBe(1);
    await admin.disconnect();
  });
});
