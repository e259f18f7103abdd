/**
 * The kafkajs adapter of the event-bus port (the default client): one
 * idempotent kafkajs producer (acks=all, one request in flight), fed by the
 * bounded, micro-batching buffer of `batching-producer.ts`.
 *
 * kafkajs is used through its API only (no patched internals: issue 15).
 * Keys go to partitions by kafkajs's DefaultPartitioner (the Java client's
 * murmur2), named explicitly.
 */
import { Kafka, Partitioners, logLevel, type ISocketFactory, type Producer } from 'kafkajs';
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

/** Creates the producer and starts connecting in the background (sends wait for it). */
export function createKafkaProducer(options: KafkaProducerOptions): EventProducer {
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
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: Number.MAX_SAFE_INTEGER },
  });
  const driver: KafkaClientDriver = {
    connect: () => producer.connect(),
    async send(messages) {
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(messages) });
    },
    disconnect: () => producer.disconnect(),
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
