/** What a combined process (or a test) needs to run the ingestor. */
export { buildApp, type AppDeps, type IngestorApp } from './app';
export { loadConfig, ingestorEnv, type IngestorConfig } from './config';
export { createIngestorDeps, type IngestorDeps } from './create-deps';
export { startMetricsServer, type MetricsServer } from './metrics-server';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits';
export {
  BusError,
  type BusMessage,
  type EventProducer,
  type TopicMessages,
} from './event-producer';
export { createKafkaProducer, type KafkaProducerOptions } from './kafka-producer';
export {
  createGeoLookup,
  openGeoLookup,
  noGeoLookup,
  type GeoLookup,
  type GeoInfo,
} from './geo-lookup';
export { createUserAgentParser, type UserAgentParser } from './user-agent';
export { createProjectRegistry, projectListSchema, type ProjectRegistry } from './projects';
export { ERROR_CATALOGUE, IngestError, type ErrorCode } from './errors';
