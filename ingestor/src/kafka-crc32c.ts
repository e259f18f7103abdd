/**
 * CRC-32C (Castagnoli) of Kafka record batches, eight bytes a step
 * ("slicing-by-8" tables) instead of kafkajs's one-byte loop. Every produce
 * request checksums each record batch it carries, i.e. every byte the
 * ingestor writes to Kafka: kafkajs's loop was 5–8 % of the ingestor's CPU at
 * full load (bench/ingestor, `--cpu-prof`); this one computes the same value
 * in a fraction of that time (kafka-crc32c.test.ts compares them).
 */
import { createRequire, Module } from 'node:module';

/** Reflected Castagnoli polynomial. */
const POLY = 0x82f63b78;

/** TABLE[k * 256 + n]: the CRC of byte n followed by k zero bytes. */
const TABLE = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = TABLE[n] as number;
  for (let k = 1; k < 8; k++) {
    c = (TABLE[c & 0xff] as number) ^ (c >>> 8);
    TABLE[k * 256 + n] = c;
  }
}

/** CRC-32C of `bytes`, as an unsigned 32-bit number (what kafkajs's crc32C returns). */
export function crc32c(bytes: Uint8Array): number {
  const t = TABLE;
  const length = bytes.length;
  const whole = length - (length & 7);
  let crc = -1;
  let i = 0;
  for (; i < whole; i += 8) {
    const lo =
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24)) ^
      crc;
    const hi =
      (bytes[i + 4] as number) |
      ((bytes[i + 5] as number) << 8) |
      ((bytes[i + 6] as number) << 16) |
      ((bytes[i + 7] as number) << 24);
    crc =
      (t[1792 + (lo & 0xff)] as number) ^
      (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (hi & 0xff)] as number) ^
      (t[512 + ((hi >>> 8) & 0xff)] as number) ^
      (t[256 + ((hi >>> 16) & 0xff)] as number) ^
      (t[hi >>> 24] as number);
  }
  for (; i < length; i++) crc = (t[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/**
 * Makes kafkajs's record batches use {@link crc32c}. kafkajs takes its CRC
 * function from one internal module (`protocol/recordBatch/crc32C`) the first
 * time it encodes a batch; this puts ours in Node's module cache under that
 * name first. Returns whether kafkajs will use it: false when a batch was
 * already encoded in this process with kafkajs's own function (then nothing
 * changes — both give the same checksum).
 */
export function useFastCrc32cInKafkajs(): boolean {
  const require = createRequire(import.meta.url);
  const crcPath = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');
  const batchPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/index.js');
  const cached = require.cache[crcPath];
  if (cached?.exports === crc32c) return true;
  if (require.cache[batchPath]) return false;
  const module = new Module(crcPath);
  module.filename = crcPath;
  module.loaded = true;
  module.exports = crc32c;
  require.cache[crcPath] = module;
  return true;
}
