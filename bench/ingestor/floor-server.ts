/**
 * The floor under the ingestor: the bare route (bare-server.ts) plus the one
 * thing an ingest endpoint cannot skip, the produce — each request's events
 * written back as JSON, one raw-topic message per request (rawSessionMessages),
 * sent through the ingestor's own Kafka producer (kafka-producer.ts: the same
 * micro-batching, idempotence, acks=all and client: kafkajs, the ingestor's
 * default, or `platformatic` as the fourth argument) and answered
 * 202 after the acknowledgement. No validation, no enrichment, no project or
 * origin checks, and the events written are the client's (smaller than the
 * enriched ones). What this route does per event is a strict subset of the
 * ingestor's work, so its throughput bounds the ingestor's from above.
 *
 *   node --import tsx bench/ingestor/floor-server.ts <port> <brokers> <topic> [kafkajs|platformatic]
 */
import Fastify from 'fastify';
import { parseJsonBodies } from './json-body';
import { rawSessionMessages } from '../../ingestor/src/bus/bus-messages';
import { createKafkaProducer } from '../../ingestor/src/bus/kafka-producer';
import { createPlatformaticProducer } from '../../ingestor/src/bus/platformatic-producer';

const port = Number(process.argv[2] ?? 0);
const brokers = (process.argv[3] ?? '127.0.0.1:9092').split(',');
const topic = process.argv[4] ?? 'bench-floor';
const client = process.argv[5] ?? 'kafkajs';
const app = Fastify({ logger: false });
// The ingestor's defaults (ingestor/src/config.ts).
const options = {
  brokers,
  maxBufferedEvents: 20_000,
  maxBufferedBytes: 32 * 1024 * 1024,
  batchSize: 1000,
  lingerMs: 2,
  ackTimeoutMs: 5000,
  log: app.log,
};
const producer =
  client === 'platformatic'
    ? await createPlatformaticProducer(options)
    : await createKafkaProducer(options);
parseJsonBodies(app);
interface Body {
  project: string;
  events: { session_id: string }[];
}
app.post('/v1/batch', async (request, reply) => {
  const { project, events } = request.body as Body;
  const messages = rawSessionMessages(
    project,
    events[0]?.session_id ?? '',
    events.map((e) => JSON.stringify(e)),
  );
  try {
    await producer.send([{ topic, messages }]);
  } catch {
    return reply.code(503).send({ error: 'bus' });
  }
  return reply.code(202).send({ accepted: events.length, quarantined: 0 });
});
app.get('/readyz', (_request, reply) => reply.code(producer.isReady() ? 200 : 503).send());
await app.listen({ port, host: '127.0.0.1' });
console.log('listening');
process.on(
  'SIGTERM',
  () =>
    void producer
      .close()
      .then(() => app.close())
      .then(() => process.exit(0)),
);
