/**
 * The kafkajs adapter of the event-bus port (the default client): one
 * kafkajs producer (acks=all, one request in flight, each failed request sent
 * again whole), fed by the bounded, micro-batching buffer of
 * `batching-producer.ts`.
 *
 * kafkajs is used through its API only (no patched internals: issue 15).
 * Keys go to partitions by kafkajs's DefaultPartitioner (the Java client's
 * murmur2), named explicitly.
 */
import type { ISocketFactory, Producer } from 'kafkajs';
import type { EventProducer } from './event-producer';
import {
  createBatchingProducer,
  type BatchingOptions,
  type KafkaClientDriver,
  type OutgoingMessage,
} from './batching-producer';

export interface KafkaProducerOptions extends BatchingOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Replaces kafkajs's TCP connect; tests route every broker connection through a proxy with it. */
  socketFactory?: ISocketFactory;
}

/** Backoff between whole-request resends (kafkajs's own retry is off, see below). */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;
/** The error kafkajs rejects with when a retriable failure used up the producer's retries. */
const RETRIABLE_EXHAUSTED = 'KafkaJSNumberOfRetriesExceeded';

/**
 * Loads kafkajs, creates the producer and starts connecting in the background
 * (sends wait for it). kafkajs is imported here, not at the top, so that a
 * process running the other client does not load it (create-deps.ts).
 */
export async function createKafkaProducer(options: KafkaProducerOptions): Promise<EventProducer> {
  const { Kafka, Partitioners, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: options.clientId ?? 'gosight-ingestor',
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      const line = `kafkajs ${entry.namespace}: ${message}`;
      if (entry.level <= logLevel.ERROR) options.log.error(extra, line);
      else options.log.warn(extra, line);
    },
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: Number.MAX_SAFE_INTEGER },
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  });
  // No retries inside kafkajs: when a request spans several brokers and one of them fails,
  // kafkajs 2.2 retries only the brokers that have not answered yet, even when a partition of
  // the failed broker has meanwhile moved to one that answered; that partition's messages are
  // then never sent and sendBatch still resolves (acknowledged events lost; seen in
  // test/failover/broker-failover.failover.test.ts). Every attempt here is a whole new
  // request. A resend after a partial failure writes again what one broker already took:
  // at least once, and the pipeline keeps one row per event_id. kafkajs refuses an idempotent
  // producer without retries, so this one is not idempotent; one request in flight keeps
  // each partition in order.
  const producer: Producer = kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 0 },
  });
  let stopped = false;
  const driver: KafkaClientDriver = {
    connect: () => producer.connect(),
    async send(messages) {
      const topicMessages = groupByTopic(messages);
      let delay = RETRY_FIRST_MS;
      for (let failures = 1; ; failures++) {
        try {
          await producer.sendBatch({ acks: -1, topicMessages });
          if (failures > 1) options.log.warn(`kafka send succeeded after ${failures - 1} failures`);
          return;
        } catch (error) {
          // kafkajs wraps a retriable failure that used up its (zero) retries; anything else
          // (a refused message, a disconnected producer) fails the request as before.
          if (stopped || !(error instanceof Error && error.name === RETRIABLE_EXHAUSTED)) {
            throw error;
          }
          if (failures === 1 || failures % 10 === 0) {
            options.log.warn(
              { err: error },
              `kafka send failed (attempt ${failures}), sending again`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(RETRY_MAX_MS, delay * 2);
        }
      }
    },
    disconnect: () => {
      stopped = true;
      return producer.disconnect();
    },
  };
  return createBatchingProducer(options, driver);
}

function groupByTopic(messages: readonly OutgoingMessage[]) {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const message of messages) {
    let list = byTopic.get(message.topic);
    if (!list) byTopic.set(message.topic, (list = []));
    list.push(message);
  }
  // kafkajs reads key, value and headers; the message's `topic` field is left unread.
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}
