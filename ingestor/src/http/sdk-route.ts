/**
 * `GET <GOSIGHT_SDK_PATH>`: the built SDK, served first-party (a path of the
 * site owner's choosing, which ad blockers' lists do not name), with a cache
 * lifetime and a pre-compressed gzip variant. Each variant has its own strong
 * ETag (a hash of its bytes): a cache must never answer a client that did
 * not ask for gzip with the gzip bytes (RFC 9110 §8.8.3).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { errorBody, IngestError } from '../errors';

export interface SdkRouteOptions {
  /** URL path, e.g. `/sdk/gosight.js`. */
  path: string;
  /** File on disk, read once at start. */
  file: string;
  log: Logger;
}

const CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400';

/** Registers the SDK route; a missing bundle is warned about once and answered with 404 SDK_NOT_BUILT. */
export function registerSdkRoute(app: FastifyInstance, options: SdkRouteOptions): void {
  const bundle = readBundle(options);
  app.get(options.path, async (request, reply) => {
    if (!bundle) return reply.code(404).send(errorBody(new IngestError('SDK_NOT_BUILT')));
    const variant = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')
      ? bundle.gzip
      : bundle.plain;
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', CACHE_CONTROL)
      .header('etag', variant.etag)
      .header('vary', 'Accept-Encoding')
      .header('x-content-type-options', 'nosniff');
    if (matchesEtag(request.headers['if-none-match'], variant.etag)) return reply.code(304).send();
    if (variant === bundle.gzip) reply.header('content-encoding', 'gzip');
    return reply.send(variant.bytes);
  });
}

function readBundle(options: SdkRouteOptions) {
  let plain: Buffer;
  try {
    plain = readFileSync(options.file);
  } catch (error) {
    options.log.warn(
      `SDK bundle not found at ${options.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): ` +
        `${options.path} answers 404 until you run \`npm run build -w sdk\``,
    );
    return undefined;
  }
  const gzip = gzipSync(plain, { level: 9 });
  return {
    plain: { bytes: plain, etag: etagOf(plain) },
    gzip: { bytes: gzip, etag: etagOf(gzip) },
  };
}

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}
