/**
 * Where the failover tests' own engines listen: a 3-broker Kafka cluster and a Redis
 * primary + replica on ports of their own (the default stack on 9092 / 6379 keeps running),
 * state in a temporary folder. The global setup starts them; tests reach them through this.
 */
import { createKafkaCluster, type KafkaCluster } from '@gosight/local';

/** Ports: brokers 19092/19094/19096 (controllers one above), Redis 16379 (+ replica 16380). */
export const FAILOVER_PORTS = Object.freeze({
  kafkaBase: Number(process.env.FAILOVER_KAFKA_BASE_PORT ?? 19092),
  redisPrimary: Number(process.env.FAILOVER_REDIS_PORT ?? 16379),
  redisReplica: Number(process.env.FAILOVER_REDIS_PORT ?? 16379) + 1,
});

/** Set by the global setup for the test workers. */
const STATE_VAR = 'FAILOVER_STATE_DIR';

export function failoverStateDir(): string {
  const dir = process.env[STATE_VAR];
  if (!dir) throw new Error('the failover tests run with test/failover/global-setup.ts');
  return dir;
}

export function setFailoverStateDir(dir: string): void {
  process.env[STATE_VAR] = dir;
}

const BUNDLE_VAR = 'FAILOVER_BUNDLE_DIR';

/** Where the global setup bundled the services (deploy/compose/src/bundle.ts), if it did. */
export function failoverBundleDir(): string | undefined {
  return process.env[BUNDLE_VAR];
}

export function setFailoverBundleDir(dir: string): void {
  process.env[BUNDLE_VAR] = dir;
}

/** The tests' cluster (the same nodes, pidfiles and data the global setup started). */
export function failoverCluster(stateDir = failoverStateDir()): KafkaCluster {
  return createKafkaCluster({
    brokers: 3,
    basePort: FAILOVER_PORTS.kafkaBase,
    stateDir: `${stateDir}/kafka`,
    heapMax: '384m',
  });
}
