/**
 * The Kafka adapter of the event-bus port: one idempotent kafkajs producer
 * (acks=all), fed by a bounded buffer and flushed in micro-batches — one
 * `sendBatch` at a time, after `lingerMs` or as soon as `batchSize` messages
 * wait. While a batch is in flight, new messages gather for the next one, so
 * batches grow with load. The buffer is bounded in messages and bytes; when
 * it is full, `send` fails fast with BUS_BUFFER_FULL (the route answers 503).
 */
import { Kafka, logLevel, Partitioners, type ISocketFactory, type Producer } from 'kafkajs';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { BusError, type EventProducer, type TopicMessages } from './event-producer';

export interface KafkaProducerOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Most messages held (queued + in flight). */
  maxBufferedMessages: number;
  /** Most bytes (keys + values) held. */
  maxBufferedBytes: number;
  /** Flush as soon as this many messages wait. */
  batchSize: number;
  /** Longest wait before a flush when fewer than `batchSize` messages wait. */
  lingerMs: number;
  /** How long `send` waits for the acknowledgement before BUS_TIMEOUT. */
  ackTimeoutMs: number;
  log: Logger;
  /** Replaces kafkajs's TCP connect; tests route every broker connection through a proxy with it. */
  socketFactory?: ISocketFactory;
}

/** Largest sum of message sizes put in one sendBatch (below the broker's 1 MiB default). */
const MAX_BATCH_BYTES = 900 * 1024;

interface PendingSend {
  remaining: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: BusError) => void;
  timer: NodeJS.Timeout | undefined;
}

interface Queued {
  topic: string;
  key: string | null;
  /** Encoded once here; kafkajs would otherwise convert the string itself. */
  value: Buffer;
  headers: Readonly<Record<string, string>>;
  bytes: number;
  owner: PendingSend;
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

  let queue: Queued[] = [];
  let bufferedMessages = 0;
  let bufferedBytes = 0;
  let connected = false;
  let closing = false;
  let inFlightSince: number | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let drained: (() => void) | undefined;

  const connecting = producer.connect().then(
    () => {
      connected = true;
      flushSoon();
    },
    (error: unknown) => options.log.error({ err: error }, 'kafka producer could not connect'),
  );

  function settle(owner: PendingSend, error?: BusError): void {
    if (owner.settled) return;
    owner.settled = true;
    if (owner.timer) clearTimeout(owner.timer);
    if (error) owner.reject(error);
    else owner.resolve();
  }

  function flushSoon(): void {
    if (inFlightSince !== undefined || !connected || queue.length === 0) return;
    if (queue.length >= options.batchSize || closing || options.lingerMs === 0) {
      void flush();
      return;
    }
    lingerTimer ??= setTimeout(() => {
      lingerTimer = undefined;
      void flush();
    }, options.lingerMs);
  }

  async function flush(): Promise<void> {
    if (inFlightSince !== undefined || !connected || queue.length === 0) return;
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = undefined;
    let count = 0;
    let bytes = 0;
    while (count < queue.length && count < options.batchSize) {
      const next = queue[count];
      if (next === undefined || (count > 0 && bytes + next.bytes > MAX_BATCH_BYTES)) break;
      bytes += next.bytes;
      count++;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    inFlightSince = Date.now();
    try {
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(batch) });
      for (const item of batch) {
        item.owner.remaining--;
        if (item.owner.remaining === 0) settle(item.owner);
      }
    } catch (error) {
      options.log.error({ err: error }, 'kafka sendBatch failed');
      const failure = new BusError('BUS_UNAVAILABLE', 'Kafka refused the events', {
        cause: error,
      });
      for (const item of batch) settle(item.owner, failure);
    } finally {
      bufferedMessages -= batch.length;
      bufferedBytes -= bytes;
      inFlightSince = undefined;
    }
    if (queue.length === 0 && drained) drained();
    // What queued up during the round trip goes out at once: the round trip was its linger.
    if (queue.length > 0) void flush();
  }

  return {
    send(batch: readonly TopicMessages[]): Promise<void> {
      if (closing) {
        return Promise.reject(new BusError('BUS_UNAVAILABLE', 'the producer is shutting down'));
      }
      const owner: PendingSend = {
        remaining: 0,
        settled: false,
        resolve: noop,
        reject: noop,
        timer: undefined,
      };
      const items: Queued[] = [];
      let bytes = 0;
      for (const { topic, messages } of batch) {
        for (const { key, value, headers } of messages) {
          const encoded = Buffer.from(value);
          const size = encoded.length + (key === null ? 0 : key.length);
          bytes += size;
          items.push({ topic, key, value: encoded, headers, bytes: size, owner });
        }
      }
      if (items.length === 0) return Promise.resolve();
      if (
        bufferedMessages + items.length > options.maxBufferedMessages ||
        bufferedBytes + bytes > options.maxBufferedBytes
      ) {
        return Promise.reject(
          new BusError('BUS_BUFFER_FULL', 'the produce buffer is full; Kafka is slow or down'),
        );
      }
      return new Promise<void>((resolve, reject) => {
        owner.remaining = items.length;
        owner.resolve = resolve;
        owner.reject = reject;
        owner.timer = setTimeout(
          () => settle(owner, new BusError('BUS_TIMEOUT', 'Kafka did not acknowledge in time')),
          options.ackTimeoutMs,
        );
        for (const item of items) queue.push(item);
        bufferedMessages += items.length;
        bufferedBytes += bytes;
        flushSoon();
      });
    },

    isReady() {
      const stalled =
        inFlightSince !== undefined && Date.now() - inFlightSince > options.ackTimeoutMs;
      return connected && !closing && !stalled && bufferedMessages < options.maxBufferedMessages;
    },

    bufferedMessages: () => bufferedMessages,

    async close() {
      if (closing) return;
      closing = true;
      await Promise.race([connecting, delay(options.ackTimeoutMs)]);
      if (bufferedMessages > 0 && connected) {
        const done = new Promise<void>((resolve) => (drained = resolve));
        flushSoon();
        await Promise.race([done, delay(options.ackTimeoutMs * 2)]);
      }
      if (lingerTimer) clearTimeout(lingerTimer);
      const leftover = queue;
      queue = [];
      const failure = new BusError('BUS_UNAVAILABLE', 'the producer shut down before delivery');
      for (const item of leftover) settle(item.owner, failure);
      await producer.disconnect();
    },
  };
}

function groupByTopic(batch: readonly Queued[]) {
  const byTopic = new Map<
    string,
    { key: string | null; value: Buffer; headers: Record<string, string> }[]
  >();
  for (const { topic, key, value, headers } of batch) {
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push({ key, value, headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function noop(): void {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
