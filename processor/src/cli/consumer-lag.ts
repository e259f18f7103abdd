/** Consumer lag per partition, from the group's committed offsets and the partitions' end offsets. */
import type { Admin } from 'kafkajs';
import { busError } from '../errors';

export interface PartitionLag {
  partition: number;
  /** The group's committed offset; null when the group committed nothing on this partition. */
  committed: string | null;
  /** The partition's end offset (high watermark). */
  end: string;
  /** end − committed; without a commit, every retained message (end − start) counts. */
  lag: number;
}

export interface GroupLag {
  group: string;
  topic: string;
  partitions: PartitionLag[];
  total: number;
}

/** Reads the lag of `group` on `topic`, partition by partition. */
export async function readConsumerLag(
  admin: Admin,
  group: string,
  topic: string,
): Promise<GroupLag> {
  try {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    ]);
    const committedBy = new Map<number, string>();
    for (const t of committed) {
      for (const p of t.partitions) if (p.offset !== '-1') committedBy.set(p.partition, p.offset);
    }
    const partitions = ends
      .map((p) => {
        const done = committedBy.get(p.partition) ?? null;
        const base = BigInt(done ?? p.low);
        const lag = BigInt(p.high) - base;
        return {
          partition: p.partition,
          committed: done,
          end: p.high,
          lag: Number(lag < 0n ? 0n : lag),
        };
      })
      .sort((a, b) => a.partition - b.partition);
    return { group, topic, partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
  } catch (error) {
    throw busError(`read lag of ${group} on ${topic}`, error);
  }
}
