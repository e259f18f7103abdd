/**
 * `gosight dlq replay`: reads the DLQ topic from --since (or its beginning) up
 * to its end as of now, and produces every quarantined event that passes
 * validation now back to the raw topic (key = session_id). Inputs quarantined
 * by the ingestor are wire events, not enriched ones: they are reported, not
 * re-driven. Replaying twice is harmless: events dedup on event_id, sessions
 * on their seen-set (README, "No duplicates").
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  ENRICHED_SCHEMA_VERSION,
  HEADERS,
  checkEnrichedEvent,
  quarantineRecord,
} from '@gosight/schema';

export interface ReplayOptions {
  kafka: Kafka;
  dlqTopic: string;
  rawTopic: string;
  since: number | undefined;
  dryRun: boolean;
  out: (line: string) => void;
}

export interface ReplayCounts {
  read: number;
  redriven: number;
  stillInvalid: number;
  fromIngestor: number;
  unreadable: number;
}

/** Re-drives the DLQ; resolves with the counts (also printed as progress lines). */
export async function runDlqReplay(options: ReplayOptions): Promise<ReplayCounts> {
  const { kafka, out } = options;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `gosight-dlq-replay-${randomUUID()}`;
  const counts: ReplayCounts = {
    read: 0,
    redriven: 0,
    stillInvalid: 0,
    fromIngestor: 0,
    unreadable: 0,
  };
  try {
    const ends = await admin.fetchTopicOffsets(options.dlqTopic);
    const starts =
      options.since === undefined
        ? ends.map((p) => ({ partition: p.partition, offset: p.low }))
        : await admin.fetchTopicOffsetsByTimestamp(options.dlqTopic, options.since);
    const endBy = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
    const todo = new Map<number, bigint>();
    let total = 0n;
    for (const s of starts) {
      const end = endBy.get(s.partition) ?? 0n;
      const from = BigInt(s.offset === '-1' ? String(end) : s.offset);
      if (from < end) {
        todo.set(s.partition, end);
        total += end - from;
      }
    }
    out(
      `replay: ${total} records to read from ${options.dlqTopic}${options.dryRun ? ' (dry run)' : ''}`,
    );
    if (todo.size > 0) await consume(options, groupId, starts, todo, counts, Number(total));
    out(
      `replay: done — ${counts.read} read, ${counts.redriven} ${options.dryRun ? 'would be re-driven' : 're-driven'}, ` +
        `${counts.stillInvalid} still invalid, ${counts.fromIngestor} from the ingestor (not re-drivable here), ` +
        `${counts.unreadable} unreadable`,
    );
    return counts;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consume(
  options: ReplayOptions,
  groupId: string,
  starts: { partition: number; offset: string }[],
  todo: Map<number, bigint>,
  counts: ReplayCounts,
  total: number,
): Promise<void> {
  const consumer = options.kafka.consumer({ groupId, sessionTimeout: 10_000 });
  // No retries inside kafkajs (they can skip a partition that moved between brokers, see
  // processor.ts); a failed send fails the batch and the consumer delivers it again whole.
  const producer = options.kafka.producer({ retry: { retries: 0 } });
  await Promise.all([consumer.connect(), producer.connect()]);
  let lastProgress = 0;
  try {
    await consumer.subscribe({ topic: options.dlqTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = todo.get(batch.partition);
            if (end === undefined) return;
            const out: { key: string; value: string; headers: Record<string, string> }[] = [];
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              counts.read += 1;
              const redrive = classify(message.value?.toString('utf8') ?? '', counts);
              if (redrive) out.push(redrive);
            }
            if (out.length > 0 && !options.dryRun) {
              await producer.send({ topic: options.rawTopic, acks: -1, messages: out });
            }
            counts.redriven += out.length;
            if (BigInt(batch.lastOffset()) + 1n >= end) todo.delete(batch.partition);
            if (counts.read - lastProgress >= 1000 || todo.size === 0) {
              lastProgress = counts.read;
              options.out(`replay: ${counts.read}/${total} read, ${counts.redriven} re-driven`);
            }
            if (todo.size === 0) resolve();
          },
        })
        .catch(reject);
      for (const s of starts) {
        if (todo.has(s.partition))
          consumer.seek({ topic: options.dlqTopic, partition: s.partition, offset: s.offset });
      }
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

function classify(text: string, counts: ReplayCounts) {
  let record;
  try {
    record = quarantineRecord.safeParse(JSON.parse(text));
  } catch {
    counts.unreadable += 1;
    return null;
  }
  if (!record.success) {
    counts.unreadable += 1;
    return null;
  }
  if (record.data.source !== 'processor') {
    counts.fromIngestor += 1;
    return null;
  }
  let event;
  try {
    event = checkEnrichedEvent(JSON.parse(record.data.raw));
  } catch {
    counts.stillInvalid += 1;
    return null;
  }
  if (!event.ok) {
    counts.stillInvalid += 1;
    return null;
  }
  return {
    key: event.value.session_id,
    value: record.data.raw,
    headers: {
      [HEADERS.schema]: String(ENRICHED_SCHEMA_VERSION),
      [HEADERS.project]: event.value.project_id,
      [HEADERS.type]: event.value.type,
    },
  };
}
