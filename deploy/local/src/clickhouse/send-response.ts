/**
 * Writes a ClickHouse HTTP response: the X-ClickHouse-* headers a real server sends, the body
 * compressed when the request enabled HTTP compression and the client accepts an encoding, and
 * errors in ClickHouse's text form with X-ClickHouse-Exception-Code.
 */
import type { ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { formatErrorBody, type ClickHouseServerError } from './clickhouse-error';
import { httpStatusForErrorType } from './error-status';

const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const brotli = promisify(zlib.brotliCompress);

/** What the server says about itself in every response. */
export interface ServerIdentity {
  /** engine version, e.g. '26.7.2.1' */
  version: string;
  timezone: string;
  displayName: string;
}

/** X-ClickHouse-Summary fields; ClickHouse sends every number as a string. */
export interface QuerySummary {
  read_rows: number;
  read_bytes: number;
  written_rows: number;
  written_bytes: number;
  result_rows: number;
  result_bytes: number;
  elapsed_ns: number;
}

/** The X-ClickHouse-Summary header value for `summary`. */
export function summaryHeader(summary: QuerySummary): string {
  const s = (n: number): string => String(Math.max(0, Math.trunc(n)));
  return JSON.stringify({
    read_rows: s(summary.read_rows),
    read_bytes: s(summary.read_bytes),
    written_rows: s(summary.written_rows),
    written_bytes: s(summary.written_bytes),
    total_rows_to_read: '0',
    result_rows: s(summary.result_rows),
    result_bytes: s(summary.result_bytes),
    elapsed_ns: s(summary.elapsed_ns),
  });
}

/** The response encoding for an Accept-Encoding header, when compression was asked for. */
export function chooseEncoding(
  acceptEncoding: string | undefined,
): 'gzip' | 'deflate' | 'br' | undefined {
  const offered = (acceptEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.split(';')[0]?.trim());
  if (offered.includes('gzip')) return 'gzip';
  if (offered.includes('deflate')) return 'deflate';
  if (offered.includes('br')) return 'br';
  return undefined;
}

async function encode(
  body: Buffer,
  encoding: 'gzip' | 'deflate' | 'br',
  level: number,
): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(body, { level });
  if (encoding === 'deflate') return deflate(body, { level });
  return brotli(body);
}

/** Headers every answer carries. */
export function identityHeaders(id: ServerIdentity, queryId: string): Record<string, string> {
  return {
    'X-ClickHouse-Server-Display-Name': id.displayName,
    'X-ClickHouse-Query-Id': queryId,
    'X-ClickHouse-Timezone': id.timezone,
  };
}

/** Sends a result body with its format headers, compressed when `compress` is set and accepted. */
export async function sendResult(
  res: ServerResponse,
  opts: {
    body: Buffer;
    headers: Record<string, string>;
    compress: { enabled: boolean; acceptEncoding: string | undefined; level: number };
  },
): Promise<void> {
  const encoding = opts.compress.enabled ? chooseEncoding(opts.compress.acceptEncoding) : undefined;
  const body =
    encoding === undefined ? opts.body : await encode(opts.body, encoding, opts.compress.level);
  res.writeHead(200, {
    ...opts.headers,
    ...(encoding === undefined ? {} : { 'Content-Encoding': encoding }),
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** Sends `err` the way ClickHouse does: status by exception type (unless given), text body, exception-code header. */
export function sendError(
  res: ServerResponse,
  err: ClickHouseServerError,
  id: ServerIdentity,
  queryId: string,
  status = httpStatusForErrorType(err.type),
): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const body = Buffer.from(formatErrorBody(err, id.version), 'utf8');
  res.writeHead(status, {
    ...identityHeaders(id, queryId),
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-ClickHouse-Exception-Code': String(err.code),
    'Content-Length': String(body.length),
  });
  res.end(body);
}
