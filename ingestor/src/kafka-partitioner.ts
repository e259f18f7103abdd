/**
 * kafkajs's DefaultPartitioner (the Java client's: murmur2 of the key,
 * made positive, modulo the partition count) with murmur2 in 32-bit integer
 * arithmetic. kafkajs computes it on 64-bit Long objects, a dozen allocations
 * per key and about 5 µs a message; every operation of the hash only needs
 * the low 32 bits, so Math.imul gives the same value. Messages without a key
 * or with an explicit partition go to kafkajs's own partitioner unchanged.
 */
import { Partitioners, type PartitionerArgs } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of `data` as a signed 32-bit integer (Utils.murmur2 in the Java client). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const end = length & ~3;
  for (let i = 0; i < end; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= (data[end + 2] as number) << 16;
    if (rest >= 2) h ^= (data[end + 1] as number) << 8;
    h ^= data[end] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** A partitioner for kafkajs's `createPartitioner` that places keys as its DefaultPartitioner does. */
export function keyHashPartitioner(): (args: PartitionerArgs) => number {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { key, partition } = args.message;
    if (partition !== undefined && partition !== null) return fallback(args);
    if (key === undefined || key === null) return fallback(args);
    const bytes = typeof key === 'string' ? Buffer.from(key) : key;
    return (murmur2(bytes) & 0x7fffffff) % args.partitionMetadata.length;
  };
}
