/** `GET /healthz` (alive), `GET /readyz` (bus reachable, buffer not full), `GET /metrics`. */
import type { FastifyInstance } from 'fastify';
import { errorBody, IngestError } from './errors';
import type { EventProducer } from './event-producer';
import type { IngestMetrics } from './metrics';

/** Registers the health, readiness and metrics routes. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { producer: EventProducer; metrics: IngestMetrics; isShuttingDown: () => boolean },
): void {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (deps.isShuttingDown()) {
      return reply.code(503).send(errorBody(new IngestError('SHUTTING_DOWN')));
    }
    if (!deps.producer.isReady()) {
      return reply.code(503).send(errorBody(new IngestError('NOT_READY')));
    }
    return { status: 'ready', buffered: deps.producer.bufferedEvents() };
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('content-type', deps.metrics.registry.contentType).send(text);
  });
}
