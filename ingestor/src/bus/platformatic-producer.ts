/**
 * The @platformatic/kafka adapter of the event-bus port
 * (`GOSIGHT_KAFKA_CLIENT=platformatic`): a maintained pure-JS client behind
 * the same bounded, micro-batching buffer as the kafkajs adapter
 * (`batching-producer.ts`). The promise is the same: an idempotent producer
 * (acks=all, one request in flight, retried), so `send` resolves only after
 * the broker acknowledged; the same messages (key session_id, the same value
 * and headers, CreateTime timestamps); and the same partition for a key as
 * kafkajs's DefaultPartitioner and the Java client: murmur2 of the key, made
 * positive with `& 0x7fffffff`, modulo the partition count (the client takes
 * the modulo). Its own default would be `murmur2 >>> 0`, which puts a key
 * with a negative hash on another partition when the count is not a power
 * of two; the processor owns a session by its partition, so both clients
 * must agree.
 */
import { murmur2, Producer, type MessageToProduce } from '@platformatic/kafka';
import type { EventProducer } from './event-producer';
import {
  createBatchingProducer,
  type BatchingOptions,
  type KafkaClientDriver,
} from './batching-producer';

export interface PlatformaticProducerOptions extends BatchingOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Pause between retries of a failed request (the client retries without end: idempotent). */
  retryDelayMs?: number;
}

type Outgoing = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** Creates the producer and starts connecting in the background (sends wait for it). */
export function createPlatformaticProducer(options: PlatformaticProducerOptions): EventProducer {
  let roundRobin = 0;
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
    clientId: options.clientId ?? 'gosight-ingestor',
    bootstrapBrokers: [...options.brokers],
    // idempotent: the client sets acks=all, one request in flight and endless retries itself
    idempotent: true,
    retryDelay: options.retryDelayMs ?? 250,
    partitioner: (message) =>
      message.key ? murmur2(message.key) & 0x7fffffff : roundRobin++ & 0x7fffffff,
  });
  const driver: KafkaClientDriver = {
    async connect() {
      await producer.initIdempotentProducer({});
    },
    async send(messages) {
      const outgoing: Outgoing[] = [];
      for (const { topic, key, value, headers } of messages) {
        const message: Outgoing = { topic, value, headers: headerMap(headers) };
        if (key !== null) message.key = key;
        outgoing.push(message);
      }
      await producer.send({ messages: outgoing, acks: -1 });
    },
    disconnect: () => producer.close(),
  };
  return createBatchingProducer(options, driver);
}

/** Header objects are shared (bus-messages.ts, batching-producer.ts), so are their Map forms. */
const headerMaps = new WeakMap<Readonly<Record<string, Buffer>>, Map<Buffer, Buffer>>();

function headerMap(headers: Readonly<Record<string, Buffer>>): Map<Buffer, Buffer> {
  let map = headerMaps.get(headers);
  if (!map) {
    map = new Map();
    for (const [name, value] of Object.entries(headers)) map.set(Buffer.from(name), value);
    headerMaps.set(headers, map);
  }
  return map;
}
