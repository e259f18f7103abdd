/**
 * The reference: a bare Fastify route doing the minimum an ingest endpoint
 * must (read a text/plain body, JSON.parse it, answer 202 with counts). The
 * benchmark runs it pinned to the same core as the ingestor.
 */
import Fastify from 'fastify';
import { parseJsonBodies } from './json-body';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
parseJsonBodies(app);
app.post('/v1/batch', (request, reply) => {
  const events = (request.body as { events?: unknown[] }).events ?? [];
  return reply.code(202).send({ accepted: events.length, quarantined: 0 });
});
await app.listen({ port, host: '127.0.0.1' });
console.log('listening');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
