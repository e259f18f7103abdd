export { createProcessor } from './processor';
export type { Processor, ProcessorDeps, ProcessorSettings } from './processor';
export { loadConfig, processorEnv } from './config';
export type { ProcessorConfig } from './config';
export { settingsFromConfig, createClients } from './clients';
export type {
  EventSource,
  Delivery,
  DeliveryHandler,
  ConsumedMessage,
} from './consume/event-source';
export { dedupToken } from './consume/dedup-token';
export type { SessionStore, SessionState, ApplyOutcome } from './sessions/session-store';
export { readConsumerLag } from './cli/consumer-lag';
export type { GroupLag, PartitionLag } from './cli/consumer-lag';
export { ProcessorError, ERROR_CODES } from './errors';
export type { DlqProducer, DlqEntry } from './dlq/dlq-producer';
export {
  createMemorySessionStore,
  type MemorySessionStore,
  type MemorySessionStoreOptions,
} from './sessions/memory-session-store';
