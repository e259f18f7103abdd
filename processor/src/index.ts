export { createProcessor } from './processor';
export type { Processor, ProcessorDeps, ProcessorSettings } from './processor';
export { loadConfig } from './config';
export type { ProcessorConfig } from './config';
export { settingsFromConfig, createClients } from './clients';
export type { EventSource, Delivery, DeliveryHandler, BusMessage } from './event-source';
export { dedupToken } from './dedup-token';
export type { SessionStore, SessionState, ApplyOutcome } from './session-store';
export { readConsumerLag } from './consumer-lag';
export type { GroupLag, PartitionLag } from './consumer-lag';
export { ProcessorError, ERROR_CODES } from './errors';
export type { DlqProducer, DlqEntry } from './dlq-producer';
export {
  createMemorySessionStore,
  type MemorySessionStore,
  type MemorySessionStoreOptions,
} from './memory-session-store';
