/**
 * The kafkajs adapter of the event source: eachBatch with auto-resolve off;
 * offsets are resolved and committed only after the handler resolved.
 */
import type { Consumer, ConsumerConfig, IHeaders, Kafka } from 'kafkajs';
import { HEADERS, kafkaErrorType } from '@gosight/schema';
import type { Delivery, DeliveryHandler, EventSource } from './event-source';

export interface KafkaEventSourceOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** Largest fetch per partition; a fetch is what one delivery holds. */
  maxBytesPerPartition?: number;
  /** The broker holds a fetch until this many bytes are there or maxWaitMs passed. */
  minBytes?: number;
  maxWaitMs?: number;
  /** Start at the beginning of the topic when the group has no committed offset. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The kafkajs consumer settings of an event source (bench/processor/floor.ts measures with them too). */
export function eventSourceConsumerConfig(
  options: Omit<KafkaEventSourceOptions, 'kafka' | 'topic' | 'fromBeginning' | 'log'>,
): ConsumerConfig {
  const maxBytesPerPartition = options.maxBytesPerPartition ?? 2 * 1024 * 1024;
  return {
    groupId: options.groupId,
    maxBytesPerPartition,
    maxBytes: maxBytesPerPartition * 8,
    minBytes: options.minBytes ?? 256 * 1024,
    maxWaitTimeInMs: options.maxWaitMs ?? 1000,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: Math.floor((options.sessionTimeoutMs ?? 30_000) / 10),
    // kafkajs's default backoff grows to 30 s: ten retries could hold a partition for two
    // minutes before the consumer crashes (and is started again, below).
    retry: { retries: 10, maxRetryTime: 5000 },
  };
}

/**
 * How an event source runs its consumer: offsets resolved and committed by
 * hand after the handler, and all partitions of one fetch handed over at
 * once, so the handler can coalesce them into one insert (batch-coalescer.ts).
 */
export const EVENT_SOURCE_RUN = {
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 64,
} as const;

/** Creates a kafkajs consumer-group subscription; partitions are handled concurrently. */
export function createKafkaEventSource(options: KafkaEventSourceOptions): EventSource {
  const log = options.log ?? (() => {});
  let consumer: Consumer | undefined;
  let running = false;
  let restarting: Promise<void> | undefined;

  /** Connects a fresh consumer, subscribes and runs it; the handler commits on that consumer. */
  async function runConsumer(handler: DeliveryHandler): Promise<void> {
    const current = options.kafka.consumer(eventSourceConsumerConfig(options));
    consumer = current;
    current.on(current.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      log(
        `consumer ${options.groupId} crashed: ${String(error)}${restart ? ' (kafkajs restarts it)' : ''}`,
      );
      // kafkajs restarts its consumer only after retriable errors. After others (seen: the
      // group coordinator's broker killed, the member expelled meanwhile, every commit then
      // refused with UNKNOWN_MEMBER_ID) it leaves the consumer stopped while the process
      // lives on, consuming nothing. Start a new one: it joins the group again and what was
      // not committed is delivered again (stored once: dedup tokens and event ids).
      if (!restart && running && consumer === current) restarting ??= restartSoon(handler);
    });
    await current.connect();
    await current.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
    await current.run({
      ...EVENT_SOURCE_RUN,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (batch.isEmpty()) return;
        const delivery: Delivery = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => ({
            key: m.key,
            value: m.value,
            offset: m.offset,
            timestamp: Number(m.timestamp),
            ...sourceOf(m.headers),
          })),
          heartbeat: () => payload.heartbeat(),
          isActive: () => running && payload.isRunning() && !payload.isStale(),
        };
        await handler(delivery);
        const last = batch.lastOffset();
        payload.resolveOffset(last);
        const offset = (BigInt(last) + 1n).toString();
        try {
          await current.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
        } catch (error) {
          // The batch is stored; only its commit was refused because this member's place in
          // the group changed (a rebalance, or expelled while the coordinator moved). kafkajs
          // joins again at the next heartbeat, and whoever owns the partition then reads from
          // the last commit: these messages come again and are stored once (dedup tokens,
          // event ids). Throwing would make kafkajs retry the stored batch with growing
          // backoff while the partition waits (seen: 90 s, then a crash).
          if (!isMembershipError(error)) throw error;
          log(
            `consumer ${options.groupId}: commit refused (${String(error)}); rejoining the group`,
          );
        }
      },
    });
  }

  async function restartSoon(handler: DeliveryHandler): Promise<void> {
    for (let attempt = 1; running; attempt++) {
      const old = consumer;
      await old?.disconnect().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 10_000)));
      if (!running) break;
      try {
        await runConsumer(handler);
        log(`consumer ${options.groupId} started again after a crash`);
        break;
      } catch (error) {
        log(
          `consumer ${options.groupId} could not start again (attempt ${attempt}): ${String(error)}`,
        );
      }
    }
    restarting = undefined;
  }

  return {
    async start(handler: DeliveryHandler) {
      running = true;
      await runConsumer(handler);
    },
    async close() {
      running = false;
      await restarting;
      // disconnect() waits for the batch in hand to finish, then leaves the group.
      await consumer?.disconnect();
    },
  };
}

/** Commit refusals that mean the group changed under this member, not a failed store. */
const MEMBERSHIP_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_NOT_AVAILABLE',
  'FENCED_INSTANCE_ID',
]);

function isMembershipError(error: unknown): boolean {
  return kafkaErrorType(error, MEMBERSHIP_ERRORS) !== undefined;
}

/** The `gosight-source` header as text, as a partial ConsumedMessage (nothing when absent). */
function sourceOf(headers: IHeaders | undefined): { source?: string } {
  const value = headers?.[HEADERS.source];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? {} : { source: first.toString() };
}
