/**
 * Reading the `POST /v1/batch` body: gzip decoding with the 64 KiB limit on
 * the decoded size (a gzip bomb stops at the limit), strict UTF-8, JSON with
 * structural limits. Only `text/plain` (sendBeacon, no CORS preflight) and
 * `application/json` are accepted.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LIMITS } from '@gosight/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IngestError } from '../errors';
import { guardJson } from './json-guard';

const decoders = new WeakMap<FastifyRequest, Readable>();

/** Registers the body parsers and the gzip decoder on `app` (an encapsulated context). */
export function registerBodyParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['text/plain', 'application/json'],
    { parseAs: 'buffer', bodyLimit: LIMITS.maxBodyBytes },
    (_request, body: Buffer, done) => {
      try {
        done(null, parseBody(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  app.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      done(null, payload);
      return;
    }
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      done(new IngestError('BODY_BAD_ENCODING'));
      return;
    }
    const gunzip = createGunzip();
    // Fastify compares Content-Length with the encoded size and the limit with the decoded one.
    const decoded = gunzip as unknown as Readable & { receivedEncodedLength: number };
    decoded.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
    payload.on('error', (error) => gunzip.destroy(error));
    payload.pipe(gunzip);
    decoders.set(request, gunzip);
    done(null, decoded);
  });

  // A decoder left behind by an early answer (413, bad gzip) is freed at once.
  app.addHook('onResponse', (request, _reply, done) => {
    decoders.get(request)?.destroy();
    done();
  });
}

/** Decodes and parses a raw body; throws an IngestError naming what is wrong. */
export function parseBody(body: Buffer): unknown {
  if (body.length === 0) throw new IngestError('BODY_EMPTY');
  if (!isUtf8(body)) throw new IngestError('BODY_INVALID_UTF8');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'parse error';
    throw new IngestError('BODY_INVALID_JSON', `the body is not valid JSON: ${detail}`);
  }
  guardJson(value);
  return value;
}
