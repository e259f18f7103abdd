/**
 * CORS for `POST /v1/batch`. `text/plain` beacons need no preflight; fetch
 * with `application/json` or `Content-Encoding: gzip` does. A preflight has
 * no body, hence no project key: it is allowed when any project allows the
 * origin, and the POST itself is then checked against its project (403).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, IngestError } from '../errors';
import type { ProjectRegistry } from '../projects';

const PREFLIGHT_MAX_AGE_SECONDS = '86400';

/** Adds CORS headers for known origins and answers preflights on `path`. */
export function registerCors(app: FastifyInstance, path: string, projects: ProjectRegistry): void {
  // Callback hooks, not async ones: an async hook costs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin !== undefined && projects.anyAllows(origin)) allowOrigin(reply, origin);
    done();
  });

  app.options(path, async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !projects.anyAllows(origin)) {
      return reply.code(403).send(errorBody(new IngestError('ORIGIN_FORBIDDEN')));
    }
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, content-encoding')
      .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
      .send();
  });
}

function allowOrigin(reply: FastifyReply, origin: string): void {
  // Retry-After is not a CORS-safelisted response header: without exposing it,
  // a cross-origin SDK could not read it on 429/503 and would retry blind.
  reply
    .header('access-control-allow-origin', origin)
    .header('access-control-expose-headers', 'Retry-After')
    .header('vary', 'Origin');
}

/** Removes the CORS grant again (the POST's own project refused the origin). */
export function revokeOrigin(reply: FastifyReply): void {
  reply.removeHeader('access-control-allow-origin');
}
