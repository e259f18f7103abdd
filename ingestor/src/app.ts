/**
 * `buildApp(deps)`: the ingestor's Fastify app, apart from `listen()`, so
 * tests use `app.inject()` and a combined process can mount it. The app does
 * not own its deps: whoever created them closes them (see create-deps.ts).
 */
import { TOPICS } from '@gosight/schema';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { batchRoute, BATCH_PATH } from './http/batch-route';
import type { IpMode } from './http/client-ip';
import { guardConnections } from './http/connection-guard';
import { errorBody, fromFrameworkError, IngestError } from './errors';
import type { EventProducer } from './bus/event-producer';
import type { GeoLookup } from './enrich/geo-lookup';
import { HEALTH_PATH, registerHealthRoutes } from './http/health-routes';
import { createMetrics, type IngestMetrics } from './metrics';
import type { ProjectRegistry } from './projects';
import { profilesRoute } from './http/profiles-route';
import { registerSdkRoute } from './http/sdk-route';
import { DEFAULT_SERVER_LIMITS, serverOptions, type ServerLimits } from './http/server-limits';
import type { UserAgentParser } from './enrich/user-agent';
import { createVisitorSalt, type VisitorSalt } from './enrich/visitor-salt';

export interface AppDeps {
  producer: EventProducer;
  geo: GeoLookup;
  userAgents: UserAgentParser;
  projects: ProjectRegistry;
  logger: Logger;
  /** Topics to produce to; the contract's names by default. */
  topics?: { raw: string; dlq: string };
  ipMode?: IpMode;
  /** Proxies whose X-Forwarded-For is believed (IPs or CIDRs); none by default. */
  trustedProxies?: readonly string[];
  sdk: { path: string; file: string };
  rateLimitRedis?: Redis | undefined;
  retryAfterSeconds?: number;
  /** Server time in epoch ms. */
  clock?: () => number;
  /** Timeouts and the connection cap; `DEFAULT_SERVER_LIMITS` for what is not given. */
  serverLimits?: Partial<ServerLimits>;
  /** The day's salt of cookieless visitor ids; in this process's memory when absent. */
  visitorSalt?: VisitorSalt;
}

/** The app plus what its owner needs: metrics and the drain switch for SIGTERM. */
export interface IngestorApp {
  app: FastifyInstance;
  /** Served on their own port by `startMetricsServer` (metrics-server.ts), not by `app`. */
  metrics: IngestMetrics;
  /** From now on readyz and new batches answer 503; requests in flight complete. */
  beginShutdown(): void;
}

/** Answers a router error (bad percent-encoding, over-long parameter) in the catalogue's format. */
function answerFrameworkError(error: FastifyError, reply: FastifyReply): void {
  const ingestError =
    error.code === 'FST_ERR_BAD_URL' ? new IngestError('BAD_URL') : fromFrameworkError(error);
  void reply
    .code(ingestError.status)
    .header('x-content-type-options', 'nosniff')
    .send(errorBody(ingestError));
}

/** Builds the Fastify app from its dependencies (nothing listens yet). */
export async function buildApp(deps: AppDeps): Promise<IngestorApp> {
  const trusted = deps.trustedProxies ?? [];
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...deps.serverLimits };
  const app = Fastify({
    ...serverOptions(limits),
    loggerInstance: deps.logger,
    // Per-request log lines would cost more than the rest of the hot path; metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trusted.length > 0 ? [...trusted] : false,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    // A URL the router cannot decode (e.g. GET /%E0%A4%A) skips every hook: answer it here.
    frameworkErrors: (error, _request, reply) => answerFrameworkError(error, reply),
  });
  const retryAfterSeconds = deps.retryAfterSeconds ?? 2;
  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown;
  const metrics = createMetrics(
    () => deps.producer.bufferedEvents(),
    () => guard.open(),
  );
  const guard = guardConnections(app, {
    maxConnections: limits.maxConnections,
    exemptRoutes: [HEALTH_PATH],
    retryAfterSeconds,
    onShed: (reason) => metrics.connectionsShed.inc({ reason }),
  });
  deps.producer.observeRequests?.((seconds) => metrics.busRequestSeconds.observe(seconds));

  // Every answer of this app (API, SDK, errors, and the demo shop mounted on it) is
  // served with its declared type only: no MIME sniffing of a JSON error as HTML.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    metrics.countRequest(request.routeOptions.url ?? 'unmatched', reply.statusCode);
    done();
  });

  app.setErrorHandler(async (error, request, reply) => {
    const ingestError = fromFrameworkError(error);
    if (ingestError.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
    if (ingestError.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(ingestError.retryAfterSeconds));
    }
    const events = (request.body as { events?: unknown } | undefined)?.events;
    // Past the checks the body is released; the authorised batch keeps its event count.
    const eventCount =
      request.gosightBatch?.eventCount ?? (Array.isArray(events) ? events.length : undefined);
    if (request.routeOptions.url === BATCH_PATH && eventCount !== undefined) {
      const project = request.gosightBatch?.project.key ?? 'unknown';
      metrics.countEvents('rejected', ingestError.code, project, eventCount);
    }
    return reply.code(ingestError.status).send(errorBody(ingestError));
  });

  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send(errorBody(new IngestError('NOT_FOUND'))),
  );

  await app.register(batchRoute, {
    producer: deps.producer,
    geo: deps.geo,
    userAgents: deps.userAgents,
    projects: deps.projects,
    topics: deps.topics ?? TOPICS,
    ipMode: deps.ipMode ?? 'anonymize',
    clock: deps.clock ?? Date.now,
    metrics,
    retryAfterSeconds,
    rateLimitRedis: deps.rateLimitRedis,
    isShuttingDown,
    visitorSalt: deps.visitorSalt ?? createVisitorSalt(),
  });
  await app.register(profilesRoute, {
    producer: deps.producer,
    projects: deps.projects,
    rawTopic: (deps.topics ?? TOPICS).raw,
    clock: deps.clock ?? Date.now,
    retryAfterSeconds,
    isShuttingDown,
  });
  registerSdkRoute(app, { ...deps.sdk, log: deps.logger });
  registerHealthRoutes(app, { producer: deps.producer, isShuttingDown });

  return {
    app,
    metrics,
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}
