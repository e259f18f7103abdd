/**
 * Collects a request body into one Buffer, undoing its Content-Encoding (gzip, deflate, br, and
 * zstd where this Node has it) and refusing bodies whose decoded size passes a limit, so a huge
 * upload cannot exhaust memory.
 */
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { ClickHouseServerError, ErrorCode, serverError } from './clickhouse-error';

/** Default ceiling for a decoded request body: generous for batch inserts, bounded for memory. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

type ZstdFactory = () => Transform;

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      // zlib.createZstdDecompress exists from Node 22.15; this repo targets Node 20 as well.
      const zstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
      if (zstd !== undefined) return zstd();
      break;
    }
  }
  throw serverError(ErrorCode.CANNOT_DECOMPRESS, `Unknown Content-Encoding '${encoding}'`);
}

/** Reads `source` fully, decoded per `contentEncoding`; rejects with QUERY_IS_TOO_LARGE past `maxBytes`. */
export async function readBody(
  source: Readable,
  contentEncoding: string | undefined,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<Buffer> {
  const decoder = decoderFor((contentEncoding ?? '').trim().toLowerCase());
  const stream: Readable = decoder === undefined ? source : source.pipe(decoder);
  if (decoder !== undefined) source.once('error', (err) => decoder.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) {
        throw serverError(
          ErrorCode.QUERY_IS_TOO_LARGE,
          `Request body is larger than the limit of ${maxBytes} bytes`,
        );
      }
      chunks.push(buf);
    }
  } catch (err) {
    source.resume(); // let the rest of the upload drain so the response can still be sent
    if (decoder !== undefined && !(err instanceof ClickHouseServerError)) {
      throw serverError(
        ErrorCode.CANNOT_DECOMPRESS,
        `Cannot decompress request body: ${String(err)}`,
      );
    }
    throw err;
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size);
}
