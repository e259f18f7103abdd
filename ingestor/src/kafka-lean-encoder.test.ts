import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_MIN_BYTES, useKafkajsOwnEncoder, useLeanKafkajsEncoder } from './kafka-lean-encoder';

const require = createRequire(import.meta.url);

interface Encoder {
  writeInt8(v: number): Encoder;
  writeInt16(v: number): Encoder;
  writeInt32(v: number): Encoder;
  writeInt64(v: number): Encoder;
  writeString(v: string | null): Encoder;
  writeVarInt(v: number): Encoder;
  writeUVarInt(v: number): Encoder;
  writeVarLong(v: number | bigint): Encoder;
  writeVarIntString(v: string | null): Encoder;
  writeBytes(v: Buffer | string | null): Encoder;
  writeVarIntBytes(v: Buffer | string | null): Encoder;
  writeEncoder(v: Encoder): Encoder;
  writeArray(v: unknown[], type?: string): Encoder;
  writeVarIntArray(v: Encoder[], type?: string): Encoder;
  size(): number;
  readonly buffer: Buffer;
}
const Encoder = require('kafkajs/src/protocol/encoder.js') as (new () => Encoder) & {
  sizeOfVarLong(v: number | bigint): number;
};

/** Values around every varint length boundary, both signs, past 32 and 53 bits. */
const VARINT_VALUES: (number | bigint)[] = [0, 1, -1, 63, -64, 64, -65, 8191, 8192, -8193];
for (let bits = 7; bits <= 62; bits += 7) {
  for (const delta of [-1, 0, 1]) {
    const n = 2 ** bits + delta;
    VARINT_VALUES.push(n, -n, Math.floor(n / 2), -Math.floor(n / 2));
  }
}
VARINT_VALUES.push(2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 1.5e12, -1.5e12);
VARINT_VALUES.push(2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n);

type Request = { encode: () => Promise<Encoder> };
const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request.js') as (
  args: unknown,
) => Request;
const frame = require('kafkajs/src/protocol/request.js') as (args: unknown) => Promise<Encoder>;

/** A produce request framed as kafkajs hands it to the socket. */
async function produceRequestBytes(topicData: unknown): Promise<Buffer> {
  const request = produceV7({
    acks: -1,
    timeout: 30_000,
    transactionalId: null,
    producerId: 4711,
    producerEpoch: 3,
    topicData,
  });
  const framed = await frame({ correlationId: 42, clientId: 'gosight-test', request });
  expect(framed.size()).toBe(framed.buffer.length);
  return Buffer.from(framed.buffer);
}

/** Both ways: kafkajs's own Encoder first, then the lean one. */
async function bothWays<T>(encode: () => Promise<T> | T): Promise<[T, T]> {
  useKafkajsOwnEncoder();
  const own = await encode();
  expect(useLeanKafkajsEncoder()).toBe(true);
  const lean = await encode();
  return [own, lean];
}

/** Deterministic bytes (a tiny LCG), so a failure reproduces. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

afterEach(() => useKafkajsOwnEncoder());

describe('the lean kafkajs Encoder', () => {
  it('encodes produce requests byte for byte as kafkajs does', async () => {
    const sizes = [0, 1, 100, CHUNK_MIN_BYTES - 1, CHUNK_MIN_BYTES, 5000, 17_000, 70_000];
    const headers = { 'gosight-schema': '1', 'gosight-project': 'pk_demo', 'gosight-events': '25' };
    const topicData = [
      {
        topic: 'gosight.events.raw',
        partitions: [0, 1, 2].map((partition) => ({
          partition,
          firstSequence: 10 * partition,
          messages: sizes.map((size, i) => ({
            key: i % 3 === 0 ? null : Buffer.from(`session-${partition}-${i}`),
            value: bytes(size, partition * 100 + i),
            headers: i % 2 === 0 ? headers : {},
            timestamp: 1_795_000_000_000 + i,
          })),
        })),
      },
      {
        topic: 'gosight.events.dlq',
        partitions: [
          {
            partition: 0,
            firstSequence: 0,
            messages: [{ key: Buffer.from('k'), value: 'a string value ✓', timestamp: 1 }],
          },
        ],
      },
    ];
    const [own, lean] = await bothWays(() => produceRequestBytes(topicData));
    expect(lean.length).toBeGreaterThan(3 * 70_000);
    expect(lean.equals(own)).toBe(true);
  });

  it('writes any mix of fields, buffers and nested encoders as kafkajs does', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const script = (): Buffer => {
        let x = seed;
        const next = (n: number): number => {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          return (x >>> 8) % n;
        };
        const build = (depth: number): Encoder => {
          const e = new Encoder();
          const ops = 1 + next(12);
          for (let i = 0; i < ops; i++) {
            const size = [0, 3, 600, CHUNK_MIN_BYTES, 3000, 20_000][next(6)] ?? 0;
            switch (next(10)) {
              case 0:
                e.writeInt8(next(256) - 128).writeInt16(next(60_000) - 30_000);
                break;
              case 1:
                e.writeInt32(next(1 << 30) - (1 << 29)).writeInt64(next(1 << 30) * 1000);
                break;
              case 2:
                e.writeString(next(5) === 0 ? null : 'é'.repeat(size >> 1));
                break;
              case 3:
                e.writeVarInt(next(1 << 24) - (1 << 23)).writeVarIntString('x'.repeat(size));
                e.writeVarLong(VARINT_VALUES[next(VARINT_VALUES.length)] ?? 0);
                break;
              case 4:
                e.writeBytes(bytes(size, seed * 31 + i));
                break;
              case 5:
                e.writeVarIntBytes(next(4) === 0 ? null : bytes(size, seed * 37 + i));
                break;
              case 6:
                if (depth < 3) e.writeEncoder(build(depth + 1));
                break;
              case 7:
                if (depth < 3) e.writeArray([build(depth + 1), build(depth + 1)], 'object');
                break;
              case 8:
                if (depth < 3) e.writeVarIntArray([build(depth + 1)], 'object');
                break;
              default:
                // An encoder's bytes as a length-prefixed field, as a record batch is written.
                if (depth < 3) e.writeBytes(build(depth + 1).buffer);
            }
          }
          expect(e.size()).toBe(e.buffer.length);
          return e;
        };
        return Buffer.from(build(0).buffer);
      };
      const [own, lean] = await bothWays(script);
      expect(lean.equals(own), `seed ${seed}`).toBe(true);
    }
  });

  it('writes varints and varlongs, and sizes varlongs, as kafkajs does', async () => {
    const [own, lean] = await bothWays(() => {
      const e = new Encoder();
      const sizes: number[] = [];
      for (const v of VARINT_VALUES) {
        e.writeVarLong(v);
        sizes.push(Encoder.sizeOfVarLong(v));
        if (typeof v === 'number' && Number.isSafeInteger(v)) e.writeVarInt(v).writeUVarInt(v);
      }
      return { bytes: Buffer.from(e.buffer), sizes };
    });
    expect(lean.sizes).toEqual(own.sizes);
    expect(lean.bytes.equals(own.bytes)).toBe(true);
  });

  it('keeps its bytes when read twice and written after', () => {
    useLeanKafkajsEncoder();
    const big = bytes(4000, 7);
    const e = new Encoder().writeInt32(1).writeBytes(big).writeInt16(2);
    const first = Buffer.from(e.buffer);
    expect(e.buffer.equals(first)).toBe(true);
    e.writeBytes(big).writeInt8(3);
    expect(e.size()).toBe(first.length + 4 + 4000 + 1);
    expect(e.buffer.subarray(0, first.length).equals(first)).toBe(true);
    expect(e.buffer.subarray(first.length + 4, first.length + 4004).equals(big)).toBe(true);
  });
});
