/**
 * The single-machine stack, programmatically: bring Kafka, Redis and the ClickHouse
 * endpoint up (reusing any that already answer), get their addresses, stop what we started.
 */
import { kafkaService } from './kafka/kafka-service';
import { redisService } from './redis/redis-service';
import { clickhouseService, localClickHouseWriter } from './clickhouse/service';
import { selectServices, serviceLog } from './services';

export type { LocalService } from './service';
export type { CommandResult } from './run-command';
export { kafkaService } from './kafka/kafka-service';
export { redisService } from './redis/redis-service';
export { runKafkaTool } from './kafka/run-kafka-tool';
export {
  createKafkaCluster,
  type KafkaCluster,
  type KafkaClusterOptions,
  type KafkaNode,
} from './kafka/kafka-cluster';
export { localClickHouseWriter } from './clickhouse/service';
export {
  WRITER_PASSWORD_FILE,
  WRITER_USER,
  readWriterCredentials,
  type EndpointCredentials,
} from './clickhouse/endpoint-users';
export { LOCAL_SERVICES } from './services';
export { waitFor } from './wait-for';
export {
  createClickHouseHttpServer,
  type ClickHouseHttpServer,
  type ClickHouseHttpServerOptions,
} from './clickhouse/http-server';

/** Options for {@link ensureLocalStack}. */
export interface EnsureLocalStackOptions {
  /** which services ('kafka' | 'redis' | 'clickhouse'); all when omitted */
  services?: readonly string[];
  /** progress lines, each prefixed with the service name; silent when omitted */
  log?: (line: string) => void;
}

/** Where the stack's services answer, and which of them this call started. */
export interface LocalStack {
  /** for KAFKA_BROKERS */
  kafkaBrokers: string;
  /** for REDIS_URL */
  redisUrl: string;
  /** for CLICKHOUSE_URL */
  clickhouseUrl: string;
  /** for CLICKHOUSE_USER / CLICKHOUSE_PASSWORD: the endpoint's writer */
  clickhouseWriter: { username: string; password: string } | undefined;
  /** names of the services this call started (not those it found running) */
  started: string[];
}

/**
 * Starts the named services (all by default) one after another unless they already answer,
 * waits until each is healthy, and resolves with the addresses to use. Rejects on the first
 * service that fails; services started before it keep running.
 */
export async function ensureLocalStack(opts: EnsureLocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const started: string[] = [];
  for (const service of selectServices(opts.services)) {
    if ((await service.start(serviceLog(service, log))) === 'started') started.push(service.name);
  }
  return {
    kafkaBrokers: kafkaService.address,
    redisUrl: redisService.address,
    clickhouseUrl: clickhouseService.address,
    clickhouseWriter: localClickHouseWriter(),
    started,
  };
}

/** Stops the named services (all by default) in reverse start order, where we started them. */
export async function stopLocalStack(
  names?: readonly string[],
  log: (line: string) => void = () => undefined,
): Promise<void> {
  for (const service of selectServices(names).reverse()) {
    await service.stop(serviceLog(service, log));
  }
}
