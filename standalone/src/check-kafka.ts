/** Fails fast, with one clear message, when no Kafka broker answers. */
import { createTopicsAndWait } from '@gosight/schema';
import { Kafka, logLevel } from 'kafkajs';
import { StartError } from './errors';

/**
 * Resolves once a broker of `brokers` answered and `topics` exist (created with
 * 3 partitions when missing); rejects with KAFKA_UNREACHABLE after `timeoutMs`.
 */
export async function checkKafkaReachable(
  brokers: readonly string[],
  timeoutMs: number,
  topics: readonly string[] = [],
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'gosight-start-check',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(3000, timeoutMs),
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  try {
    while (Date.now() < deadline) {
      try {
        await admin.connect();
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          await createTopicsAndWait(
            admin,
            missing.map((topic) => ({ topic, numPartitions: 3 })),
          );
        }
        return;
      } catch (error) {
        last = error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    throw new StartError(
      'KAFKA_UNREACHABLE',
      `gosight: no Kafka broker answered at KAFKA_BROKERS=${brokers.join(',')} within ${Math.round(timeoutMs / 1000)} s ` +
        `(${last instanceof Error ? last.message : String(last)}); start Kafka, fix KAFKA_BROKERS, or unset it for the in-process bus`,
      { cause: last },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
