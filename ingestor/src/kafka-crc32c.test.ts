import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, useFastCrc32cInKafkajs } from './kafka-crc32c';

const require = createRequire(import.meta.url);
/** kafkajs's own byte-at-a-time CRC-32C (the function ours stands in for). */
const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (
  buffer: Buffer,
) => number;

describe('crc32c', () => {
  it('gives the published check value and 0 for no bytes', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('equals kafkajs for every length around the 8-byte steps and for large buffers', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes), `length ${length}`).toBe(kafkajsCrc(bytes));
    }
    for (const length of [255, 256, 4093, 65_536, 262_147]) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes), `length ${length}`).toBe(kafkajsCrc(bytes));
    }
    const slice = randomBytes(100).subarray(3, 91);
    expect(crc32c(slice)).toBe(kafkajsCrc(slice));
  });

  it('is what kafkajs record batches are checksummed with once installed', async () => {
    expect(useFastCrc32cInKafkajs()).toBe(true);
    expect(useFastCrc32cInKafkajs()).toBe(true);
    expect(require('kafkajs/src/protocol/recordBatch/crc32C/index.js')).toBe(crc32c);
    // kafkajs's v0 record batch now encodes with it; the CRC field (bytes 17–20) covers the rest.
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
      RecordBatch: (options: { records: unknown[] }) => Promise<{ buffer: Buffer }>;
    };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (options: {
      key: Buffer;
      value: Buffer;
    }) => unknown;
    const batch = await RecordBatch({
      records: [Record({ key: Buffer.from('k'), value: Buffer.from('v'.repeat(1000)) })],
    });
    const bytes = batch.buffer;
    expect(bytes.readUInt32BE(17)).toBe(kafkajsCrc(bytes.subarray(21)));
  });
});
