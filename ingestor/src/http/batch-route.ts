/**
 * `POST /v1/batch`: read the body, check the envelope, the project and its
 * origin, rate-limit per client IP + project, run every event through the
 * pipeline, produce, and answer 202 only once the bus acknowledged.
 */
import rateLimit from '@fastify/rate-limit';
import { quarantineRecordOf, type BatchAccepted } from '@gosight/schema';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { BatchContext } from '../pipeline/batch-context';
import { checkEnvelope } from './check-envelope';
import { quarantineMessage, rawSessionMessages } from '../bus/bus-messages';
import { rateLimitSubject, unmapIp, storedIp, type IpMode } from './client-ip';
import { registerCors, revokeOrigin } from './cors';
import { IngestError } from '../errors';
import { createEventPipeline } from '../pipeline/event-pipeline';
import {
  BusError,
  type BusMessage,
  type EventProducer,
  type TopicMessages,
} from '../bus/event-producer';
import type { GeoLookup } from '../enrich/geo-lookup';
import type { IngestMetrics } from '../metrics';
import { registerBodyParsing } from './parse-body';
import type { Project, ProjectRegistry } from '../projects';
import type { UserAgentParser } from '../enrich/user-agent';
import { cookielessVisitorId } from '../enrich/cookieless-visitor';
import type { VisitorSalt } from '../enrich/visitor-salt';

export const BATCH_PATH = '/v1/batch';

export interface BatchRouteDeps {
  producer: EventProducer;
  geo: GeoLookup;
  userAgents: UserAgentParser;
  projects: ProjectRegistry;
  topics: { raw: string; dlq: string };
  ipMode: IpMode;
  clock: () => number;
  metrics: IngestMetrics;
  retryAfterSeconds: number;
  /** Shared rate-limit counters across instances; per-process memory when absent. */
  rateLimitRedis?: Redis | undefined;
  isShuttingDown: () => boolean;
  /** The day's salt of cookieless visitor ids. */
  visitorSalt: VisitorSalt;
}

interface AuthorisedBatch {
  project: Project;
  sentAt: number;
  /** Emptied once the messages are built: nothing per event is held while Kafka answers. */
  events: readonly unknown[];
  /** How many events the body carried (for the rejected-events counter). */
  eventCount: number;
  /** The SDK ran cookieless: the ingestor derives the visitor id. */
  cookieless: boolean;
}

/** What one request produces, and the counts its answer and metrics need. */
interface PreparedBatch {
  outgoing: TopicMessages[];
  accepted: number;
  quarantineRules: string[];
  dropped: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    gosightBatch: AuthorisedBatch | null;
  }
}

/** Registers the batch route with its parsers, CORS and rate limit (an encapsulated plugin). */
export async function batchRoute(app: FastifyInstance, deps: BatchRouteDeps): Promise<void> {
  const { producer, geo, userAgents, projects, topics, metrics } = deps;
  const pipeline = createEventPipeline();

  /** Runs every event through the pipeline and builds the raw and DLQ messages. */
  function prepareBatch(batch: AuthorisedBatch, context: BatchContext): PreparedBatch {
    // Accepted events as JSON, per session in request order: one raw message per session.
    const bySession = new Map<string, string[]>();
    let accepted = 0;
    const dlq: BusMessage[] = [];
    let dropped = 0;
    const quarantineRules: string[] = [];
    for (let index = 0; index < batch.events.length; index++) {
      const event = batch.events[index];
      const result = pipeline(event, index, context);
      if (result.kind === 'ok') {
        // Plain JSON.stringify: a generated fast-json-stringify serializer measured no
        // faster in the ingestor bench (issue 15, ingestor/README.md "CPU").
        const json = JSON.stringify(result.value);
        const list = bySession.get(result.value.session_id);
        if (list) list.push(json);
        else bySession.set(result.value.session_id, [json]);
        accepted++;
      } else if (result.kind === 'quarantine') {
        quarantineRules.push(result.rule);
        dlq.push(
          quarantineMessage(
            quarantineRecordOf({
              step: result.step,
              reason: result.reason,
              project_id: batch.project.key,
              received_at: context.receivedAt,
              raw: JSON.stringify(event),
              source: 'ingestor',
            }),
            event,
          ),
        );
      } else {
        dropped++;
      }
    }

    const raw: BusMessage[] = [];
    for (const [session, jsons] of bySession) {
      raw.push(...rawSessionMessages(batch.project.key, session, jsons));
    }
    const outgoing: TopicMessages[] = [];
    if (raw.length > 0) outgoing.push({ topic: topics.raw, messages: raw });
    if (dlq.length > 0) outgoing.push({ topic: topics.dlq, messages: dlq });
    return { outgoing, accepted, quarantineRules, dropped };
  }

  /** Checks the envelope, the project and its origin; keeps the authorised batch on the request. */
  function authorise(request: FastifyRequest, reply: FastifyReply): void {
    const checked = checkEnvelope(request.body);
    if (!checked.ok) throw new IngestError('BATCH_INVALID', checked.reason, checked.problem.path);
    const project = projects.get(checked.value.project);
    if (!project) throw new IngestError('PROJECT_UNKNOWN', undefined, 'project');
    const origin = request.headers.origin;
    if (origin !== undefined && !project.origins.allows(origin)) {
      revokeOrigin(reply);
      throw new IngestError('ORIGIN_FORBIDDEN', `origin ${origin.slice(0, 200)} is not allowed`);
    }
    // The raw events (not zod's copies) so a quarantined one is stored exactly as sent.
    const events = (request.body as { events: unknown[] }).events;
    request.gosightBatch = {
      project,
      sentAt: checked.value.sent_at,
      events,
      eventCount: events.length,
      cookieless: checked.value.meta?.cookieless === true,
    };
  }
  registerBodyParsing(app);
  registerCors(app, BATCH_PATH, projects);
  app.decorateRequest('gosightBatch', null);
  await app.register(rateLimit, {
    global: false,
    ...(deps.rateLimitRedis ? { redis: deps.rateLimitRedis, nameSpace: 'gosight-rl-' } : {}),
  });

  app.post(
    BATCH_PATH,
    {
      config: {
        rateLimit: {
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            `${request.gosightBatch?.project.key ?? ''}|${rateLimitSubject(request.ip)}`,
          allowList: (request: FastifyRequest) => !request.gosightBatch?.project.rateLimit,
          max: (request: FastifyRequest) => request.gosightBatch?.project.rateLimit?.max ?? 1,
          timeWindow: (request: FastifyRequest) =>
            request.gosightBatch?.project.rateLimit?.windowMs ?? 60_000,
          errorResponseBuilder: (_request, context) =>
            new IngestError(
              'RATE_LIMITED',
              `rate limit of ${context.max} requests exceeded, retry in ${context.after}`,
              undefined,
              Math.max(1, Math.ceil(context.ttl / 1000)),
            ),
        },
      },
      preValidation: (request, reply, done) => {
        try {
          authorise(request, reply);
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    },
    async (request, reply) => {
      const batch = request.gosightBatch;
      if (!batch) throw new IngestError('INTERNAL');
      if (deps.isShuttingDown())
        throw new IngestError('SHUTTING_DOWN', undefined, undefined, deps.retryAfterSeconds);
      const receivedAt = deps.clock();
      const fullIp = unmapIp(request.ip);
      const userAgent = request.headers['user-agent'] ?? '';
      let visitorId: string | undefined;
      if (batch.cookieless) {
        // the full IP (not the stored one) so that visitors behind one /24 stay apart
        const salt = await deps.visitorSalt.saltAt(receivedAt).catch((error: unknown) => {
          throw new IngestError(
            'SALT_UNAVAILABLE',
            String(error),
            undefined,
            deps.retryAfterSeconds,
          );
        });
        visitorId = cookielessVisitorId(salt, batch.project.key, fullIp, userAgent);
      }
      const context: BatchContext = {
        project: batch.project,
        sentAt: batch.sentAt,
        receivedAt,
        ip: storedIp(fullIp, deps.ipMode),
        geo: geo.lookup(fullIp),
        userAgent: userAgents.parse(request.headers['user-agent']),
        visitorId,
      };

      const prepared = prepareBatch(batch, context);
      // Release the body, the parsed events and the message texts before waiting for Kafka
      // (the producer has its own copy of each message once send returns): under load many
      // requests wait at once, and whatever they hold outlives young-generation GCs.
      batch.events = [];
      request.body = undefined;
      const { accepted, quarantineRules, dropped } = prepared;
      const producing = prepared.outgoing.length > 0;
      const started = performance.now();
      const sent = producer.send(prepared.outgoing);
      prepared.outgoing = [];
      try {
        await sent;
      } catch (error) {
        if (error instanceof BusError) {
          throw new IngestError(error.code, error.message, undefined, deps.retryAfterSeconds);
        }
        throw error;
      }
      if (producing) metrics.produceSeconds.observe((performance.now() - started) / 1000);

      const project = batch.project.key;
      if (accepted > 0) metrics.countEvents('accepted', '', project, accepted);
      for (const rule of quarantineRules) metrics.countEvents('quarantined', rule, project);
      if (dropped > 0) metrics.countEvents('dropped', 'bot', project, dropped);
      const body: BatchAccepted = { accepted, quarantined: quarantineRules.length };
      return reply.code(202).send(body);
    },
  );
}
