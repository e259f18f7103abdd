import { clickhouseService } from './clickhouse/service';
import { kafkaClusterService, type KafkaTopology } from './kafka/kafka-cluster-service';
import { kafkaService } from './kafka/kafka-service';
import { redisReplicaService, redisService } from './redis/redis-service';
import type { LocalService } from './service';

/** Every service of the local stack, in start order (stop runs in reverse). */
export const LOCAL_SERVICES: readonly LocalService[] = [
  kafkaService,
  redisService,
  clickhouseService,
];

/** Which shape of the stack: the default, or more brokers and a Redis replica. */
export interface StackTopology {
  /** a multi-broker Kafka cluster instead of the single broker */
  kafka?: KafkaTopology;
  /** a Redis replica of the primary (service `redis-replica`) */
  redisReplica?: boolean;
}

/** The stack's services for `topology`, in start order. */
export function stackServices(topology: StackTopology = {}): LocalService[] {
  const services: LocalService[] = [
    topology.kafka && topology.kafka.brokers > 1
      ? kafkaClusterService(topology.kafka)
      : kafkaService,
    redisService,
  ];
  if (topology.redisReplica) services.push(redisReplicaService);
  services.push(clickhouseService);
  return services;
}

/** An unknown service name was asked for. */
export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError';
}

/**
 * The services named (in stack order, duplicates dropped), or all of them when `names` is
 * undefined or empty. Throws UnknownServiceError naming the valid choices.
 */
export function selectServices(
  names?: readonly string[],
  topology: StackTopology = {},
): LocalService[] {
  const all = stackServices(topology);
  if (names === undefined || names.length === 0) return all;
  const known = new Set(all.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UnknownServiceError(
      `unknown service ${unknown.join(', ')} (choose from ${[...known].join(', ')})`,
    );
  }
  return all.filter((s) => names.includes(s.name));
}

/** Wraps a log sink so each line says which service it is about ("kafka: ..."). */
export function serviceLog(
  service: LocalService,
  log: (line: string) => void,
): (line: string) => void {
  const prefix = `${service.name}: `;
  return (line) => log(line.startsWith(prefix) ? line : prefix + line);
}
