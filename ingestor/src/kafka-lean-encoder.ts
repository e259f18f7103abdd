/**
 * Fewer copies for kafkajs's produce requests.
 *
 * kafkajs builds a produce request bottom-up: each record in its own
 * Encoder, the records into a batch body, the body into a batch, the batch
 * into a partition, then a topic, the request payload and the framed
 * request. Each step copies everything below it into a new zero-filled
 * buffer whose size is a power of two, so every message value is copied
 * about ten times and several times as many bytes are allocated off-heap.
 * At our message sizes (a request's events, ~17 KB) that allocation volume
 * drove most of the ingestor's garbage collection.
 *
 * {@link useLeanKafkajsEncoder} changes kafkajs's Encoder (one internal
 * class, `protocol/encoder.js`) so that an encoder is a list of chunks: a
 * buffer or nested encoder of at least {@link CHUNK_MIN_BYTES} is kept by
 * reference instead of copied, and small writes go to an unzeroed tail
 * buffer. The bytes come out contiguous only where kafkajs asks for them
 * (`encoder.buffer`: the CRC of a batch body, the batch as a length-prefixed
 * field, the request handed to the socket), which is three copies instead of
 * about ten. Varints are written straight into the tail (kafkajs makes a
 * Buffer of a byte array for each, a dozen per record), and a record's small
 * timestamp delta is sized and written without 64-bit Long objects. The
 * encoded bytes are the same, byte for byte (kafka-lean-encoder.test.ts
 * encodes produce requests, random encoder scripts and varints both ways).
 *
 * What it relies on: kafkajs encoders are written append-only and a buffer
 * handed to an encoder is not changed while its request is being encoded
 * and sent. The producer (kafka-producer.ts) makes a fresh Buffer of every
 * message and never writes to it again.
 */
import { createRequire } from 'node:module';

/** Buffers at least this long are referenced instead of copied. */
export const CHUNK_MIN_BYTES = 1024;
/**
 * A new tail holds at least this much, or as much as the encoder already holds
 * (up to {@link TAIL_MAX_BYTES}), so an encoder of many small writes needs few
 * chunks. Tails under 4 KB come from Node's shared buffer pool.
 */
const TAIL_MIN_BYTES = 256;
const TAIL_MAX_BYTES = 64 * 1024;

/** The fields of kafkajs's Encoder this works on. */
interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  /** completed chunks, in order, when the encoder holds more than its tail */
  chunks?: Buffer[] | undefined;
  /** total length of `chunks` */
  chunkBytes?: number | undefined;
  ensureAvailable(length: number): void;
  writeInt32(value: number): KafkajsEncoder;
  writeUVarInt(value: number): KafkajsEncoder;
  writeBufferInternal(buffer: Buffer): void;
  writeEncoder(value: KafkajsEncoder): KafkajsEncoder;
  readonly buffer: Buffer;
}

type EncoderClass = { prototype: KafkajsEncoder };

/** Closes the written part of the tail as a chunk; the tail's free space stays the tail. */
function seal(e: KafkajsEncoder): void {
  if (e.offset === 0) return;
  (e.chunks ??= []).push(e.buf.subarray(0, e.offset));
  e.chunkBytes = (e.chunkBytes ?? 0) + e.offset;
  e.buf = e.buf.subarray(e.offset);
  e.offset = 0;
}

function pushChunk(e: KafkajsEncoder, chunk: Buffer): void {
  seal(e);
  (e.chunks ??= []).push(chunk);
  e.chunkBytes = (e.chunkBytes ?? 0) + chunk.length;
}

const lean = {
  ensureAvailable(this: KafkajsEncoder, length: number): void {
    if (this.offset + length <= this.buf.length) return;
    seal(this);
    const held = this.chunkBytes ?? 0;
    this.buf = Buffer.allocUnsafe(
      Math.max(length, Math.min(Math.max(held, TAIL_MIN_BYTES), TAIL_MAX_BYTES)),
    );
  },

  writeBufferInternal(this: KafkajsEncoder, buffer: Buffer): void {
    const length = buffer.length;
    if (length >= CHUNK_MIN_BYTES) {
      pushChunk(this, buffer);
      return;
    }
    this.ensureAvailable(length);
    buffer.copy(this.buf, this.offset, 0);
    this.offset += length;
  },

  writeEncoder(this: KafkajsEncoder, value: KafkajsEncoder): KafkajsEncoder {
    if (value == null || !Buffer.isBuffer(value.buf)) {
      throw new Error('value should be an instance of Encoder');
    }
    // A chunked value's chunks are taken by reference (pushChunk seals ours first), then its tail.
    if (value.chunks !== undefined) for (const chunk of value.chunks) pushChunk(this, chunk);
    this.writeBufferInternal(value.buf.subarray(0, value.offset));
    return this;
  },

  writeEncoderArray(this: KafkajsEncoder, values: KafkajsEncoder[]): KafkajsEncoder {
    if (!Array.isArray(values) || values.some((v) => v == null || !Buffer.isBuffer(v.buf))) {
      throw new Error('all values should be an instance of Encoder[]');
    }
    for (const value of values) this.writeEncoder(value);
    return this;
  },

  /** As kafkajs's, without first reserving room for a buffer that is then referenced. */
  writeBytes(this: KafkajsEncoder, value: unknown): KafkajsEncoder {
    if (!Buffer.isBuffer(value)) return original.writeBytes.call(this, value);
    this.writeInt32(value.length);
    this.writeBufferInternal(value);
    return this;
  },

  size(this: KafkajsEncoder): number {
    return (this.chunkBytes ?? 0) + this.offset;
  },

  /** As kafkajs's, written into the tail instead of through a Buffer.from of a byte array. */
  writeUVarInt(this: KafkajsEncoder, value: number): KafkajsEncoder {
    this.ensureAvailable(5);
    const buf = this.buf;
    let v = value;
    while ((v & 0xffffff80) !== 0) {
      buf[this.offset++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.offset++] = v & 0x7f;
    return this;
  },

  /** A record's timestamp delta is a small number: then the 32-bit zigzag gives the same bytes. */
  writeVarLong(this: KafkajsEncoder, value: unknown): KafkajsEncoder {
    if (!isInt32(value)) return original.writeVarLong.call(this, value);
    return this.writeUVarInt(zigZag32(value));
  },
};

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && (value | 0) === value;
}

/** Zigzag of an int32 as an unsigned 32-bit number (equal to the 64-bit zigzag for such values). */
function zigZag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

/** kafkajs's static Encoder.sizeOfVarLong, without 64-bit Long objects for int32 values. */
function sizeOfVarLong(value: unknown): number {
  if (!isInt32(value)) return (originalSizeOfVarLong as (v: unknown) => number)(value);
  let z = zigZag32(value);
  let bytes = 1;
  while (z > 0x7f) {
    bytes++;
    z >>>= 7;
  }
  return bytes;
}

/** The contiguous bytes; a chunked encoder is joined once and stays joined. */
function leanBuffer(this: KafkajsEncoder): Buffer {
  const chunks = this.chunks;
  if (chunks === undefined) return this.buf.subarray(0, this.offset);
  const total = (this.chunkBytes ?? 0) + this.offset;
  const joined = Buffer.allocUnsafe(total);
  let at = 0;
  for (const chunk of chunks) at += chunk.copy(joined, at);
  this.buf.copy(joined, at, 0, this.offset);
  this.chunks = undefined;
  this.chunkBytes = undefined;
  this.buf = joined;
  this.offset = total;
  return joined.subarray(0, total);
}

type Methods = Record<string, (...args: never[]) => unknown>;
type Write = (this: KafkajsEncoder, value: unknown) => KafkajsEncoder;
let original: { writeBytes: Write; writeVarLong: Write } & Methods;
let originalSizeOfVarLong: ((value: unknown) => number) | undefined;
let originalBuffer: PropertyDescriptor | undefined;
let originalNextPowerOfTwo: ((value: number) => number) | undefined;

/**
 * kafkajs's constructor gives every encoder `Buffer.alloc(nextPowerOfTwo(511))`:
 * a zero-filled 512-byte allocation of its own, seven or more per message
 * (record, each header, batch, partition, topic, request). Its only other
 * caller was the replaced ensureAvailable, so answering 0 makes a new encoder
 * start empty; its first write takes a tail from the pool.
 */
const emptyStart = (): number => 0;

function encoderClass(): EncoderClass & {
  nextPowerOfTwo: (value: number) => number;
  sizeOfVarLong: (value: unknown) => number;
} {
  const require = createRequire(import.meta.url);
  return require('kafkajs/src/protocol/encoder.js') as ReturnType<typeof encoderClass>;
}

/**
 * Makes every kafkajs Encoder in this process chunked (see the file comment).
 * Idempotent. Returns false, changing nothing, if the Encoder lacks a method
 * this replaces (a kafkajs whose internals differ from the version tested).
 */
export function useLeanKafkajsEncoder(): boolean {
  const encoder = encoderClass();
  const proto = encoder.prototype as unknown as Methods;
  if (original !== undefined) return true;
  const names = Object.keys(lean);
  if (names.some((name) => typeof proto[name] !== 'function')) return false;
  if (typeof encoder.nextPowerOfTwo !== 'function') return false;
  if (typeof encoder.sizeOfVarLong !== 'function') return false;
  original = Object.fromEntries(names.map((name) => [name, proto[name]])) as typeof original;
  originalBuffer = Object.getOwnPropertyDescriptor(proto, 'buffer');
  originalNextPowerOfTwo = encoder.nextPowerOfTwo;
  originalSizeOfVarLong = encoder.sizeOfVarLong;
  Object.assign(proto, lean);
  Object.defineProperty(proto, 'buffer', { get: leanBuffer, configurable: true });
  encoder.nextPowerOfTwo = emptyStart;
  encoder.sizeOfVarLong = sizeOfVarLong;
  return true;
}

/** Undoes {@link useLeanKafkajsEncoder} (for tests that compare both encodings). */
export function useKafkajsOwnEncoder(): void {
  if (original === undefined) return;
  const encoder = encoderClass();
  const proto = encoder.prototype as unknown as Methods;
  Object.assign(proto, original);
  if (originalBuffer) Object.defineProperty(proto, 'buffer', originalBuffer);
  if (originalNextPowerOfTwo) encoder.nextPowerOfTwo = originalNextPowerOfTwo;
  if (originalSizeOfVarLong) encoder.sizeOfVarLong = originalSizeOfVarLong;
  original = undefined as unknown as typeof original;
}
