import { createRequire } from 'node:module';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyHashPartitioner, murmur2 } from './kafka-partitioner';

const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2.js',
) as (key: Buffer) => number;

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

describe('murmur2', () => {
  it("equals kafkajs's 64-bit Long version on every length 0–40 and random bytes", () => {
    for (let length = 0; length <= 40; length++) {
      for (let round = 0; round < 200; round++) {
        const key = Buffer.alloc(length);
        for (let i = 0; i < length; i++) key[i] = Math.floor(Math.random() * 256);
        expect(murmur2(key), key.toString('hex')).toBe(kafkajsMurmur2(key));
      }
    }
  });

  it("gives the Java client's values for known keys", () => {
    // From Apache Kafka's UtilsTest.testMurmur2.
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, expected] of cases) expect(murmur2(Buffer.from(key))).toBe(expected);
  });
});

describe('keyHashPartitioner', () => {
  it('chooses the partition kafkajs DefaultPartitioner chooses, for every key and partition count', () => {
    const ours = keyHashPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 5000; i++) {
      const key = randomKey(i);
      for (const count of [1, 3, 7, 12]) {
        const args: PartitionerArgs = {
          topic: i % 2 === 0 ? 'a' : 'b',
          partitionMetadata: metadata(count),
          message: { key: i % 3 === 0 ? key : Buffer.from(key), value: null },
        };
        expect(ours(args)).toBe(reference(args));
      }
    }
  });

  it('leaves an explicit partition alone and spreads keyless messages', () => {
    const ours = keyHashPartitioner();
    const args = (message: PartitionerArgs['message']): PartitionerArgs => ({
      topic: 't',
      partitionMetadata: metadata(3),
      message,
    });
    expect(ours(args({ key: Buffer.from('k'), value: null, partition: 2 }))).toBe(2);
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(ours(args({ key: null, value: null })));
    expect(seen.size).toBe(3);
  });
});
