import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { memoisedDefaultPartitioner } from './kafka-producer';

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

const randomKey = (i: number) =>
  `${Math.random()
    .toString(36)
    .slice(2, 2 + (i % 20) + 1)}_${i}${i % 7 === 0 ? 'é€' : ''}`;

describe('memoisedDefaultPartitioner', () => {
  it('chooses the partition kafkajs DefaultPartitioner chooses, for every key and partition count', () => {
    const memoised = memoisedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 5000; i++) {
      const keyText = randomKey(i);
      for (const count of [1, 3, 7, 12]) {
        const args: PartitionerArgs = {
          topic: i % 2 === 0 ? 'a' : 'b',
          partitionMetadata: metadata(count),
          message: { key: Buffer.from(keyText), value: null },
        };
        const expected = reference(args);
        // Twice: the second answer comes from the memo.
        for (let round = 0; round < 2; round++) {
          expect(memoised({ ...args, message: { ...args.message, keyText } as never })).toBe(
            expected,
          );
        }
      }
    }
  });

  it('spreads keyless messages like the default partitioner (not memoised)', () => {
    const memoised = memoisedDefaultPartitioner();
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      seen.add(
        memoised({
          topic: 't',
          partitionMetadata: metadata(3),
          message: { key: null, value: null, keyText: null } as never,
        }),
      );
    }
    expect(seen.size).toBe(3);
  });
});
