/**
 * `GET /healthz` (alive), `GET /readyz` (bus reachable, buffer not full).
 * `/metrics` is not on this (public) port: see metrics-server.ts.
 */
import type { FastifyInstance } from 'fastify';
import { errorBody, IngestError } from '../errors';
import type { EventProducer } from '../bus/event-producer';

export const HEALTH_PATH = '/healthz';

/** Registers the health and readiness routes. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { producer: EventProducer; isShuttingDown: () => boolean },
): void {
  app.get(HEALTH_PATH, (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (deps.isShuttingDown()) {
      return reply.code(503).send(errorBody(new IngestError('SHUTTING_DOWN')));
    }
    if (!deps.producer.isReady()) {
      return reply.code(503).send(errorBody(new IngestError('NOT_READY')));
    }
    return { status: 'ready', buffered: deps.producer.bufferedEvents() };
  });
}
