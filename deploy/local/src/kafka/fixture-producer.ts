import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * The producer the Kafka tests write their fixtures with: idempotent, so a
 * produce retried on a loaded broker cannot write a message twice under a test
 * that counts messages or offsets exactly.
 */
export const fixtureProducer = (kafka: Kafka): Producer =>
  kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
