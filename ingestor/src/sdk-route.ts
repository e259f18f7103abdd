/**
 * `GET <GOSIGHT_SDK_PATH>`: the built SDK, served first-party (a path of the
 * site owner's choosing, which ad blockers' lists do not name), with an ETag,
 * a cache lifetime, and a pre-compressed gzip variant.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { errorBody, IngestError } from './errors';

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
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', CACHE_CONTROL)
      .header('etag', bundle.etag)
      .header('vary', 'Accept-Encoding')
      .header('x-content-type-options', 'nosniff');
    if (matchesEtag(request.headers['if-none-match'], bundle.etag)) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('content-encoding', 'gzip').send(bundle.gzip);
    }
    return reply.send(bundle.plain);
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
  const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
  return { plain, gzip: gzipSync(plain, { level: 9 }), etag };
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}
