/**
 * The event bus of the single-machine mode (ARCHITECTURE.md, "Three ports"):
 * one object that is both the ingestor's EventProducer and the processor's
 * EventSource, with Kafka's delivery promise kept on local disk.
 * - `send` appends the messages to the topic's journal and fsyncs (one write
 *   and one fsync per micro-batch: sends that arrive while one is in flight
 *   go together in the next) before it resolves, i.e. before the 202.
 * - Each consumer group reads from its committed offset; a delivery's offset
 *   is committed only after its handler resolved (the offsets file, written
 *   atomically in the background and retried until it works); a rejected
 *   delivery is handed out again. On start, groups resume from the committed
 *   offsets, so what was acknowledged and not yet stored is replayed.
 * - A journal that ends below an offset some group committed has lost
 *   acknowledged records: the start stops with BUS_JOURNAL_DAMAGED.
 * - Deliveries carry the journal's epoch as their `incarnation`, so the
 *   processor's dedup tokens differ from those of an earlier journal.
 * - Segments below every group's committed offset are deleted; messages not
 *   yet committed by every group are bounded by `maxBufferedMessages`
 *   (beyond it `send` fails with BUS_BUFFER_FULL: the ingestor answers 503).
 * One partition per topic: one process consumes it, in order.
 */
import { join } from 'node:path';
import { BusError, type EventProducer, type TopicMessages } from '@gosight/ingestor';
import type {
  Delivery,
  DeliveryHandler,
  DlqProducer,
  EventSource,
  ConsumedMessage,
} from '@gosight/processor';
import { HEADERS } from '@gosight/schema';
import { createOffsetWriter, readOffsets, type Offsets } from './offset-file';
import type { WriteHealth } from './retrying-write';
import {
  openTopicJournal,
  type JournalRecord,
  type SegmentFile,
  type TopicJournal,
} from './topic-journal';

export interface InProcessBusOptions {
  /** Directory of the journals and the offsets file (created if missing). */
  dir: string;
  /** Topics a consumer group will read; others (the DLQ) are only written. */
  consumedTopics: readonly string[];
  /** Most messages (one per ingest request and session) held that some group has not committed yet. */
  maxBufferedMessages: number;
  /** Most messages in one delivery. */
  maxDeliveryMessages?: number;
  segmentBytes?: number;
  log?: (line: string) => void;
  /** Counts failed writes of the offsets file. */
  health?: WriteHealth;
  /** Wait before retrying a failed offsets write (default 1 s). */
  offsetsRetryMs?: number;
  /** Opens a journal segment for appending (tests inject failing writes). */
  openSegment?: (path: string) => Promise<SegmentFile>;
}

export interface SourceOptions {
  /**
   * true (default): every commit is written to the offsets file. false: commits
   * stay in memory and only `persistOffset` writes one — for a consumer whose
   * own state is checkpointed together with its offset (the memory session store).
   */
  durable?: boolean;
}

/** The bus: producer side, consumer side, and the DLQ sender of the processor. */
export interface InProcessBus {
  producer: EventProducer;
  /** A consumer group on `topic` (EventSource port). */
  source(topic: string, groupId: string, options?: SourceOptions): EventSource;
  /** The processor's DLQ sender, appending to `topic`. */
  dlq(topic: string): DlqProducer;
  /** The group's committed offset (in memory; durable or not). */
  committed(topic: string, groupId: string): number;
  /** Writes `offset` as the group's durable committed offset; rejects if that write failed (it is retried). */
  persistOffset(topic: string, groupId: string, offset: number): Promise<void>;
  /** Offset the next message on `topic` gets. */
  endOffset(topic: string): number;
  /** The epoch of `topic`'s journal: offsets count within it. */
  incarnation(topic: string): string;
  /** Closes the journals; close the sources and the producer first. */
  close(): Promise<void>;
}

interface Topic {
  journal: TopicJournal;
  /** Kept in memory for consumers: records from `memory[0].offset` to the end. */
  memory: JournalRecord[];
  consumed: boolean;
}

interface Group {
  topic: string;
  id: string;
  durable: boolean;
  position: number;
  committed: number;
  running: boolean;
  wake: (() => void) | undefined;
  loop: Promise<void> | undefined;
}

interface PendingWrite {
  topic: string;
  records: Omit<JournalRecord, 'offset'>[];
  resolve: () => void;
  reject: (error: BusError) => void;
}

/** Opens the journals under `dir`, loads what some group has not committed, and returns the bus. */
export async function openInProcessBus(options: InProcessBusOptions): Promise<InProcessBus> {
  const log = options.log ?? (() => {});
  const maxDelivery = options.maxDeliveryMessages ?? 5000;
  const offsetsPath = join(options.dir, 'offsets.json');
  const offsets: Offsets = await readOffsets(offsetsPath);
  const topics = new Map<string, Topic>();
  const offsetWriter = createOffsetWriter({
    path: offsetsPath,
    current: () => offsets,
    // Segments go only once every group's offset past them is on disk.
    async written(durable) {
      for (const [name, topic] of topics) await topic.journal.trimBelow(lowWater(name, durable));
    },
    log,
    ...(options.offsetsRetryMs ? { retryMs: options.offsetsRetryMs } : {}),
    ...(options.health ? { health: options.health } : {}),
  });
  const groups = new Map<string, Group>();
  let pending: PendingWrite[] = [];
  let pendingCount = 0;
  let writing: Promise<void> | undefined;
  let closing = false;

  const safeName = (topic: string) => topic.replace(/[^A-Za-z0-9._-]/g, '_');

  async function openTopic(name: string): Promise<Topic> {
    const known = topics.get(name);
    if (known) return known;
    const consumed = options.consumedTopics.includes(name);
    const from = Math.min(...Object.values(offsets[name] ?? {}), Number.MAX_SAFE_INTEGER);
    const memory: JournalRecord[] = [];
    let mustReach: { offset: number; by: string } | undefined;
    for (const [group, offset] of Object.entries(offsets[name] ?? {})) {
      if (offset > (mustReach?.offset ?? 0)) {
        mustReach = { offset, by: `consumer group ${group} (${offsetsPath})` };
      }
    }
    const journal = await openTopicJournal(
      {
        dir: join(options.dir, safeName(name)),
        log,
        ...(mustReach ? { mustReach } : {}),
        ...(options.segmentBytes ? { segmentBytes: options.segmentBytes } : {}),
        ...(options.openSegment ? { openSegment: options.openSegment } : {}),
      },
      from === Number.MAX_SAFE_INTEGER ? 0 : from,
      consumed ? (r) => memory.push(r) : () => {},
    );
    const topic: Topic = { journal, memory, consumed };
    topics.set(name, topic);
    if (memory.length > 0) log(`bus: ${memory.length} uncommitted messages on ${name} to replay`);
    return topic;
  }

  try {
    for (const name of options.consumedTopics) await openTopic(name);
  } catch (error) {
    for (const topic of topics.values()) await topic.journal.close();
    throw error;
  }

  const topicOf = (name: string) => {
    const topic = topics.get(name);
    if (!topic) throw new Error(`bus: topic ${name} is not open`);
    return topic;
  };

  /**
   * Lowest offset some group still needs, over running groups and the
   * committed offsets known (`durable`: only those written to disk).
   */
  function lowWater(name: string, durable?: Offsets): number {
    let low = topicOf(name).journal.end;
    for (const [group, offset] of Object.entries((durable ?? offsets)[name] ?? {})) {
      const running = groups.get(`${name}\u0000${group}`);
      low = Math.min(low, durable || !running ? offset : running.committed);
    }
    for (const g of groups.values()) if (g.topic === name) low = Math.min(low, g.committed);
    return low;
  }

  function uncommitted(): number {
    let most = 0;
    for (const [name, topic] of topics) {
      if (!topic.consumed) continue;
      const start = topic.memory[0]?.offset ?? topic.journal.end;
      most = Math.max(most, topic.journal.end - Math.max(start, lowWater(name)));
    }
    return most + pendingCount;
  }

  function pruneMemory(name: string) {
    const topic = topicOf(name);
    const low = lowWater(name);
    let drop = 0;
    while (drop < topic.memory.length && (topic.memory[drop]?.offset ?? Infinity) < low) drop++;
    if (drop > 0) topic.memory.splice(0, drop);
  }

  async function writeLoop(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      const byTopic = new Map<string, PendingWrite[]>();
      for (const write of batch) {
        const list = byTopic.get(write.topic);
        if (list) list.push(write);
        else byTopic.set(write.topic, [write]);
      }
      for (const [name, writes] of byTopic) {
        try {
          const topic = await openTopic(name);
          const stored = await topic.journal.append(writes.flatMap((w) => w.records));
          if (topic.consumed) topic.memory.push(...stored);
          for (const w of writes) w.resolve();
        } catch (error) {
          log(`bus: journal write to ${name} failed: ${String(error)}`);
          const failure = new BusError('BUS_UNAVAILABLE', 'the local journal write failed', {
            cause: error,
          });
          for (const w of writes) w.reject(failure);
        } finally {
          for (const w of writes) pendingCount -= w.records.length;
        }
      }
      for (const g of groups.values()) g.wake?.();
    }
  }

  function enqueue(topic: string, records: Omit<JournalRecord, 'offset'>[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      pending.push({ topic, records, resolve, reject });
      pendingCount += records.length;
      writing ??= writeLoop().finally(() => {
        writing = undefined;
      });
    });
  }

  const producer: EventProducer = {
    send(batch: readonly TopicMessages[]) {
      if (closing) {
        return Promise.reject(new BusError('BUS_UNAVAILABLE', 'the bus is shutting down'));
      }
      const count = batch.reduce((n, t) => n + t.messages.length, 0);
      if (count === 0) return Promise.resolve();
      if (uncommitted() + count > options.maxBufferedMessages) {
        return Promise.reject(
          new BusError('BUS_BUFFER_FULL', 'the local bus is full; the processor is behind'),
        );
      }
      const now = Date.now();
      return Promise.all(
        batch.map(({ topic, messages }) =>
          enqueue(
            topic,
            messages.map((m) => ({ ...m, timestamp: now })),
          ),
        ),
      ).then(() => undefined);
    },
    isReady: () => !closing && uncommitted() < options.maxBufferedMessages,
    bufferedEvents: () => pendingCount,
    async close() {
      closing = true;
      await writing;
    },
  };

  function commit(group: Group, offset: number) {
    group.committed = offset;
    if (group.durable) {
      (offsets[group.topic] ??= {})[group.id] = offset;
      offsetWriter.request(); // in the background: a failed write is retried on its own
    }
    pruneMemory(group.topic);
  }

  async function persistOffset(topic: string, groupId: string, offset: number) {
    (offsets[topic] ??= {})[groupId] = offset;
    await offsetWriter.flush();
  }

  async function consume(group: Group, handler: DeliveryHandler): Promise<void> {
    const topic = topicOf(group.topic);
    while (group.running) {
      const first = topic.memory[0]?.offset ?? topic.journal.end;
      const index = Math.max(0, group.position - first);
      if (index >= topic.memory.length) {
        await new Promise<void>((resolve) => (group.wake = resolve));
        group.wake = undefined;
        continue;
      }
      const records = topic.memory.slice(index, index + maxDelivery);
      const messages: ConsumedMessage[] = records.map((r) => ({
        key: r.key === null ? null : Buffer.from(r.key),
        value: Buffer.from(r.value),
        offset: String(r.offset),
        timestamp: r.timestamp,
        ...(r.headers[HEADERS.source] === undefined ? {} : { source: r.headers[HEADERS.source] }),
      }));
      const delivery: Delivery = {
        topic: group.topic,
        partition: 0,
        incarnation: topic.journal.epoch,
        messages,
        heartbeat: () => Promise.resolve(),
        isActive: () => group.running,
      };
      const next = (records[records.length - 1]?.offset ?? group.position) + 1;
      try {
        await handler(delivery);
        group.position = next;
        commit(group, next);
      } catch (error) {
        if (!group.running) break;
        log(`bus: ${group.id} delivery failed, handing it out again: ${String(error)}`);
        await new Promise<void>((resolve) => {
          group.wake = resolve;
          setTimeout(resolve, 500).unref();
        });
        group.wake = undefined;
      }
    }
  }

  return {
    producer,
    source(topic, groupId, sourceOptions = {}) {
      const key = `${topic}\u0000${groupId}`;
      return {
        async start(handler) {
          const journal = topicOf(topic).journal;
          const start = offsets[topic]?.[groupId] ?? journal.start;
          const group: Group = {
            topic,
            id: groupId,
            durable: sourceOptions.durable ?? true,
            position: start,
            committed: start,
            running: true,
            wake: undefined,
            loop: undefined,
          };
          groups.set(key, group);
          if (offsets[topic]?.[groupId] === undefined) await persistOffset(topic, groupId, start);
          group.loop = consume(group, handler);
          await Promise.resolve();
        },
        async close() {
          const group = groups.get(key);
          if (!group) return;
          group.running = false;
          group.wake?.();
          await group.loop;
        },
      };
    },
    dlq(topic) {
      return {
        send(entries) {
          if (entries.length === 0) return Promise.resolve();
          const now = Date.now();
          return enqueue(
            topic,
            entries.map(({ key, record }) => ({
              key: key === null ? null : key.toString(),
              value: JSON.stringify(record),
              headers: {
                [HEADERS.project]: record.project_id,
                [HEADERS.source]: record.source,
                'gosight-step': record.step,
              },
              timestamp: now,
            })),
          );
        },
      };
    },
    committed(topic, groupId) {
      return groups.get(`${topic}\u0000${groupId}`)?.committed ?? offsets[topic]?.[groupId] ?? 0;
    },
    persistOffset,
    endOffset: (topic) => topicOf(topic).journal.end,
    incarnation: (topic) => topicOf(topic).journal.epoch,
    async close() {
      closing = true;
      await writing;
      await offsetWriter.flush().catch((error: unknown) => {
        log(
          `bus: the last offsets could not be written (replayed on the next start): ${String(error)}`,
        );
      });
      await offsetWriter.close();
      for (const topic of topics.values()) await topic.journal.close();
    },
  };
}
