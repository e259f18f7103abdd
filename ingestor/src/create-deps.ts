/**
 * From config to the app's dependencies, and back down: every resource
 * created here is closed by `close()` (producer flushed first).
 */
import { ConfigError } from '@gosight/schema';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { AppDeps } from './app';
import { serverLimitsOf, type IngestorConfig } from './config';
import { noGeoLookup, openGeoLookup } from './enrich/geo-lookup';
import type { EventProducer } from './bus/event-producer';
import { createKafkaProducer } from './bus/kafka-producer';
import { createPlatformaticProducer } from './bus/platformatic-producer';
import { createProjectRegistry } from './projects';
import { createUserAgentParser } from './enrich/user-agent';
import { createVisitorSalt } from './enrich/visitor-salt';

/** App deps plus the one call that releases them. */
export interface IngestorDeps {
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * Creates producer, GeoIP reader, UA parser, projects and (with REDIS_URL) the
 * Redis of the rate limits and of the cookieless visitor salt. `options.producer`
 * replaces the Kafka producer (the single-machine bus, standalone/); `close()`
 * then closes it too.
 */
export async function createIngestorDeps(
  config: IngestorConfig,
  logger: Logger,
  options: { producer?: EventProducer } = {},
): Promise<IngestorDeps> {
  if (!config.KAFKA_BROKERS && !options.producer) {
    // Without Kafka, the caller brings the bus (the single-machine mode: standalone/).
    throw new ConfigError('ingestor: KAFKA_BROKERS must be set (host:port[,host:port])', [
      'KAFKA_BROKERS',
    ]);
  }
  let geo = noGeoLookup;
  if (config.GEOIP_DB && config.GEOIP_DB.length > 0) {
    geo = await openGeoLookup(config.GEOIP_DB);
  } else {
    logger.warn('GEOIP_DB is not set: country, region and city stay empty');
  }
  const producerOptions = {
    brokers: config.KAFKA_BROKERS ?? [],
    maxBufferedEvents: config.GOSIGHT_BUFFER_MAX_EVENTS,
    maxBufferedBytes: config.GOSIGHT_BUFFER_MAX_BYTES,
    batchSize: config.GOSIGHT_PRODUCE_BATCH_SIZE,
    lingerMs: config.GOSIGHT_PRODUCE_LINGER_MS,
    ackTimeoutMs: config.GOSIGHT_PRODUCE_TIMEOUT_MS,
    log: logger,
  };
  // Each adapter loads its client when called, so a process carries only the client it runs
  // (and none with options.producer); ioredis likewise only with REDIS_URL. Loading
  // @platformatic/kafka alone costs about 40 MB of RSS, kafkajs 13 MB, ioredis 20 MB.
  const producer =
    options.producer ??
    (config.GOSIGHT_KAFKA_CLIENT === 'platformatic'
      ? await createPlatformaticProducer(producerOptions)
      : await createKafkaProducer(producerOptions));
  const redis = config.REDIS_URL
    ? new (await import('ioredis')).Redis(config.REDIS_URL, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      })
    : undefined;
  redis?.on('error', (error: Error) => logger.warn({ err: error }, 'rate-limit Redis error'));
  const deps: AppDeps = {
    producer,
    geo,
    userAgents: createUserAgentParser({ cacheSize: config.GOSIGHT_UA_CACHE_SIZE }),
    projects: createProjectRegistry(config.GOSIGHT_PROJECTS),
    logger,
    topics: { raw: config.GOSIGHT_TOPIC_RAW, dlq: config.GOSIGHT_TOPIC_DLQ },
    ipMode: config.GOSIGHT_IP_MODE,
    trustedProxies: config.GOSIGHT_TRUSTED_PROXIES,
    sdk: { path: config.GOSIGHT_SDK_PATH, file: config.GOSIGHT_SDK_FILE },
    rateLimitRedis: redis,
    // shared by every instance, so one visitor has one id whichever instance answers
    visitorSalt: createVisitorSalt(redis),
    retryAfterSeconds: config.GOSIGHT_RETRY_AFTER_SECONDS,
    serverLimits: serverLimitsOf(config),
  };
  return {
    deps,
    async close() {
      await producer.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
