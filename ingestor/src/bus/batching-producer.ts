/**
 * The part of the event-bus port's Kafka adapters that does not depend on the
 * Kafka client: a bounded buffer flushed in micro-batches, one request at a
 * time (an idempotent producer keeps one request in flight per broker
 * anyway). When nothing is in flight, a flush starts after `lingerMs` or as
 * soon as `batchSize` messages wait; while a request is in flight everything
 * that arrives gathers, and the next request carries all of it (up to
 * MAX_REQUEST_BYTES), so batches grow with load and the broker round trip is
 * paid once per batch, not once per `batchSize`. The buffer is bounded in
 * events and bytes; when it is full, `send` fails fast with BUS_BUFFER_FULL
 * (the route answers 503).
 *
 * A client (`kafka-producer.ts` for kafkajs, `platformatic-producer.ts` for
 * @platformatic/kafka) only connects, sends one request's messages with
 * acks=all and disconnects.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { BusError, type EventProducer, type TopicMessages } from './event-producer';

/** How the producer buffers and batches, whichever client sends. */
export interface BatchingOptions {
  /** Most events held (queued + in flight), counted by each message's `events`. */
  maxBufferedEvents: number;
  /** Most bytes (keys + values) held. */
  maxBufferedBytes: number;
  /** With nothing in flight, flush as soon as this many messages wait (a request carries all that wait). */
  batchSize: number;
  /** With nothing in flight, longest wait before a flush when fewer than `batchSize` messages wait. */
  lingerMs: number;
  /** How long `send` waits for the acknowledgement before BUS_TIMEOUT. */
  ackTimeoutMs: number;
  log: Logger;
}

/** A message as the clients take it: key and value as Buffers, header values as shared Buffers. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, Buffer>>;
}

/** What a Kafka client must do for the batching producer. */
export interface KafkaClientDriver {
  /** Connects (retrying as the client does); resolves once messages can be sent. */
  connect(): Promise<void>;
  /** Sends one request's messages; resolves once the broker acknowledged all of them (acks=all). */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Largest sum of message sizes put in one request. Kafka bounds each
 * partition's record batch by `message.max.bytes` (1 MiB by default, also the
 * topics' default `max.message.bytes`); which partition a key lands on is only
 * known inside the client, so the whole request stays below that bound,
 * leaving room for the per-record overhead (~20 B + headers ~50 B a message).
 */
const MAX_REQUEST_BYTES = 900 * 1024;
/** Sizes in the byte bound include this per-message overhead (record framing + headers). */
const MESSAGE_OVERHEAD_BYTES = 80;

interface PendingSend {
  remaining: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: BusError) => void;
  timer: NodeJS.Timeout | undefined;
}

interface Queued {
  message: OutgoingMessage;
  bytes: number;
  events: number;
  owner: PendingSend;
}

/** Creates the producer over `client` and starts connecting in the background (sends wait for it). */
export function createBatchingProducer(
  options: BatchingOptions,
  client: KafkaClientDriver,
): EventProducer {
  let queue: Queued[] = [];
  let bufferedEvents = 0;
  let bufferedBytes = 0;
  let connected = false;
  let closing = false;
  let inFlightSince: number | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let drained: (() => void) | undefined;
  const requestListeners: ((seconds: number, messages: number) => void)[] = [];

  const connecting = client.connect().then(
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
    while (count < queue.length) {
      const next = queue[count];
      if (next === undefined || (count > 0 && bytes + next.bytes > MAX_REQUEST_BYTES)) break;
      bytes += next.bytes;
      count++;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    inFlightSince = Date.now();
    const started = performance.now();
    try {
      await client.send(batch.map((item) => item.message));
      const seconds = (performance.now() - started) / 1000;
      for (const listener of requestListeners) listener(seconds, batch.length);
      for (const item of batch) {
        item.owner.remaining--;
        if (item.owner.remaining === 0) settle(item.owner);
      }
    } catch (error) {
      options.log.error({ err: error }, 'kafka send failed');
      const failure = new BusError('BUS_UNAVAILABLE', 'Kafka refused the events', {
        cause: error,
      });
      for (const item of batch) settle(item.owner, failure);
    } finally {
      for (const item of batch) bufferedEvents -= item.events;
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
      let eventCount = 0;
      for (const { topic, messages } of batch) {
        for (const { key, value, headers, events = 1 } of messages) {
          const message: OutgoingMessage = {
            topic,
            key: key === null ? null : Buffer.from(key),
            value: Buffer.from(value),
            headers: bufferHeaders(headers),
          };
          const size =
            message.value.length +
            (message.key === null ? 0 : message.key.length) +
            MESSAGE_OVERHEAD_BYTES;
          bytes += size;
          items.push({ message, bytes: size, events, owner });
          eventCount += events;
        }
      }
      if (items.length === 0) return Promise.resolve();
      if (
        bufferedEvents + eventCount > options.maxBufferedEvents ||
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
        bufferedEvents += eventCount;
        bufferedBytes += bytes;
        flushSoon();
      });
    },

    isReady() {
      const stalled =
        inFlightSince !== undefined && Date.now() - inFlightSince > options.ackTimeoutMs;
      return connected && !closing && !stalled && bufferedEvents < options.maxBufferedEvents;
    },

    bufferedEvents: () => bufferedEvents,

    observeRequests(listener) {
      requestListeners.push(listener);
    },

    async close() {
      if (closing) return;
      closing = true;
      await Promise.race([connecting, delay(options.ackTimeoutMs)]);
      if (bufferedEvents > 0 && connected) {
        const done = new Promise<void>((resolve) => (drained = resolve));
        flushSoon();
        await Promise.race([done, delay(options.ackTimeoutMs * 2)]);
      }
      if (lingerTimer) clearTimeout(lingerTimer);
      const leftover = queue;
      queue = [];
      const failure = new BusError('BUS_UNAVAILABLE', 'the producer shut down before delivery');
      for (const item of leftover) settle(item.owner, failure);
      await client.disconnect();
    },
  };
}

/** Header objects are shared per project and type (bus-messages.ts), so are their Buffer forms. */
const headerBuffers = new WeakMap<Readonly<Record<string, string>>, Record<string, Buffer>>();

function bufferHeaders(headers: Readonly<Record<string, string>>): Record<string, Buffer> {
  let encoded = headerBuffers.get(headers);
  if (!encoded) {
    encoded = {};
    for (const name of Object.keys(headers)) encoded[name] = Buffer.from(headers[name] ?? '');
    headerBuffers.set(headers, encoded);
  }
  return encoded;
}

function noop(): void {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
