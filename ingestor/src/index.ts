/** What a combined process (or a test) needs to run the ingestor. */
export { buildApp, type AppDeps, type IngestorApp } from './app';
export { loadConfig, ingestorEnv, type IngestorConfig } from './config';
export { createIngestorDeps, type IngestorDeps } from './create-deps';
export { startMetricsServer, type MetricsServer } from './http/metrics-server';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './http/server-limits';
export {
  BusError,
  type BusMessage,
  type EventProducer,
  type TopicMessages,
} from './bus/event-producer';
export { createKafkaProducer, type KafkaProducerOptions } from './bus/kafka-producer';
export {
  createPlatformaticProducer,
  type PlatformaticProducerOptions,
} from './bus/platformatic-producer';
export {
  createGeoLookup,
  openGeoLookup,
  noGeoLookup,
  type GeoLookup,
  type GeoInfo,
} from './enrich/geo-lookup';
export { createUserAgentParser, type UserAgentParser } from './enrich/user-agent';
export { createProjectRegistry, projectListSchema, type ProjectRegistry } from './projects';
export { ERROR_CATALOGUE, IngestError, type ErrorCode } from './errors';
