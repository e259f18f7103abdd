import { clickhouseService } from './clickhouse/service';
import { kafkaService } from './kafka/kafka-service';
import { redisService } from './redis/redis-service';
import type { LocalService } from './service';

/** Every service of the local stack, in start order (stop runs in reverse). */
export const LOCAL_SERVICES: readonly LocalService[] = [
  kafkaService,
  redisService,
  clickhouseService,
];

/** An unknown service name was asked for. */
export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError';
}

/**
 * The services named (in stack order, duplicates dropped), or all of them when `names` is
 * undefined or empty. Throws UnknownServiceError naming the valid choices.
 */
export function selectServices(names?: readonly string[]): LocalService[] {
  if (names === undefined || names.length === 0) return [...LOCAL_SERVICES];
  const known = new Set(LOCAL_SERVICES.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UnknownServiceError(
      `unknown service ${unknown.join(', ')} (choose from ${[...known].join(', ')})`,
    );
  }
  return LOCAL_SERVICES.filter((s) => names.includes(s.name));
}

/** Wraps a log sink so each line says which service it is about ("kafka: ..."). */
export function serviceLog(
  service: LocalService,
  log: (line: string) => void,
): (line: string) => void {
  const prefix = `${service.name}: `;
  return (line) => log(line.startsWith(prefix) ? line : prefix + line);
}
