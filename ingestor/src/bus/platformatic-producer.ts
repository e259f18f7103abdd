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
 *
 * A failed send replaces the producer. @platformatic/kafka 1.x (1.22 here;
 * still so in 1.35) advances a partition's sequence number only when the
 * whole send succeeded. A send spans every broker that leads one of its
 * partitions; when one of them fails (its leader was killed), the partitions
 * the other brokers did write keep their old sequence, and from then on every
 * produce to them is answered OUT_OF_ORDER_SEQUENCE_NUMBER, which the client
 * does not retry: the producer never recovers (the broker failover test, with
 * 1.22). Its retries of one request also stay on the broker the request was
 * first meant for, so a send to a dead leader can hang until that broker is
 * back. A fresh producer has a new producer id, sequences from 0 and fresh
 * metadata. The request is then sent again on it while a client may still be
 * waiting for it (`ackTimeoutMs`); a copy the broker had already written is
 * a duplicate the pipeline drops by event_id (at least once). The client
 * fixes the first cause itself from 2.3.0, which needs Node.js 22.
 */
import type { MessageToProduce } from '@platformatic/kafka';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { EventProducer } from './event-producer';
import {
  createBatchingProducer,
  type BatchingOptions,
  type KafkaClientDriver,
  type OutgoingMessage,
} from './batching-producer';

export interface PlatformaticProducerOptions extends BatchingOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Pause between retries of a failed request (the client retries without end: idempotent). */
  retryDelayMs?: number;
}

export type Outgoing = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** What the adapter uses of a @platformatic/kafka Producer (a fake one in the unit test). */
export interface IdempotentProducerClient {
  initIdempotentProducer(options: Record<string, never>): Promise<unknown>;
  send(options: { messages: Outgoing[]; acks: -1 }): Promise<unknown>;
  close(): Promise<void>;
}

export interface RecoveringDriverOptions {
  /** One attempt that has not been acknowledged after this long counts as failed. */
  attemptTimeoutMs: number;
  /** A request is sent again only while less than this has passed since its first attempt. */
  resendForMs: number;
  /** Pause before sending a request again on the fresh producer. */
  resendDelayMs: number;
  log: Logger;
}

/** The driver plus how many producers it has made so far (1 until a send fails). */
export type RecoveringDriver = KafkaClientDriver & { producersCreated(): number };

/**
 * A driver over producers from `create` that replaces the producer after any
 * failed or overdue send and sends the request again on the new one (see the
 * file's comment for why).
 */
export function createRecoveringDriver(
  create: () => IdempotentProducerClient,
  options: RecoveringDriverOptions,
): RecoveringDriver {
  let current = create();
  let created = 1;
  let closed = false;

  function replace(failed: IdempotentProducerClient, error: unknown): void {
    // Two failures of the same producer (or a send after close) replace it once.
    if (failed !== current || closed) return;
    current = create();
    created++;
    options.log.warn(
      { err: error, producers: created },
      'kafka producer replaced after a failed send (new producer id, sequences from 0)',
    );
    // Closing also ends the old producer's retries still under way.
    failed.close().catch((closeError: unknown) => {
      options.log.warn({ err: closeError }, 'closing the replaced kafka producer failed');
    });
  }

  return {
    async connect() {
      await current.initIdempotentProducer({});
    },
    async send(messages) {
      const outgoing = toOutgoing(messages);
      const started = Date.now();
      for (;;) {
        const producer = current;
        try {
          // The client initialises a fresh producer's id itself on its first send.
          await withTimeout(
            producer.send({ messages: outgoing, acks: -1 }),
            options.attemptTimeoutMs,
          );
          return;
        } catch (error) {
          replace(producer, error);
          const elapsed = Date.now() - started;
          if (closed || elapsed + options.resendDelayMs >= options.resendForMs) throw error;
          await delay(options.resendDelayMs);
        }
      }
    },
    async disconnect() {
      closed = true;
      await current.close();
    },
    producersCreated: () => created,
  };
}

/**
 * Loads @platformatic/kafka, creates the producer and starts connecting in the
 * background (sends wait for it). The client is imported here, not at the top:
 * loading it alone adds about 40 MB of RSS, which a process running kafkajs
 * should not carry (create-deps.ts).
 */
export async function createPlatformaticProducer(
  options: PlatformaticProducerOptions,
): Promise<EventProducer> {
  const { murmur2, Producer } = await import('@platformatic/kafka');
  let roundRobin = 0;
  const retryDelay = options.retryDelayMs ?? 250;
  const driver = createRecoveringDriver(
    () =>
      new Producer<Buffer, Buffer, Buffer, Buffer>({
        clientId: options.clientId ?? 'gosight-ingestor',
        bootstrapBrokers: [...options.brokers],
        // idempotent: the client sets acks=all, one request in flight and endless retries itself
        idempotent: true,
        retryDelay,
        partitioner: (message) =>
          message.key ? murmur2(message.key) & 0x7fffffff : roundRobin++ & 0x7fffffff,
      }),
    {
      attemptTimeoutMs: options.ackTimeoutMs,
      resendForMs: options.ackTimeoutMs,
      resendDelayMs: retryDelay,
      log: options.log,
    },
  );
  return createBatchingProducer(options, driver);
}

function toOutgoing(messages: readonly OutgoingMessage[]): Outgoing[] {
  const outgoing: Outgoing[] = [];
  for (const { topic, key, value, headers } of messages) {
    const message: Outgoing = { topic, value, headers: headerMap(headers) };
    if (key !== null) message.key = key;
    outgoing.push(message);
  }
  return outgoing;
}

class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`kafka send not acknowledged within ${ms} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** Rejects when `promise` has not settled after `ms`; its own outcome is then ignored. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeoutError(ms)), ms);
  });
  promise.catch(() => undefined); // an abandoned attempt's late failure is not unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
