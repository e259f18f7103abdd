import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../paths';
import type { LocalService, ServiceMember } from '../service';
import { createKafkaCluster, type KafkaCluster } from './kafka-cluster';
import { kafkaVersion } from './kafka-libs';

/** What `stack:up -- --brokers N` asked for, remembered so `status` and `down` find it. */
export interface KafkaTopology {
  brokers: number;
  basePort: number;
}

const TOPOLOGY_FILE = path.join(STATE_DIR, 'kafka-topology.json');

/** The cluster `up --brokers N` started last (and `down` has not stopped), if any. */
export function readKafkaTopology(): KafkaTopology | undefined {
  if (!existsSync(TOPOLOGY_FILE)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(TOPOLOGY_FILE, 'utf8')) as Partial<KafkaTopology>;
    const { brokers, basePort } = parsed;
    if (Number.isInteger(brokers) && Number.isInteger(basePort)) {
      return { brokers: brokers as number, basePort: basePort as number };
    }
  } catch {
    // unreadable: treated as no cluster
  }
  return undefined;
}

/** The state folder of the CLI's cluster whose node 1 listens on `basePort`. */
export function clusterStateDir(basePort: number): string {
  return path.join(STATE_DIR, `kafka-cluster-${basePort}`);
}

/**
 * The multi-broker cluster as one service of the local stack (`kafka`): its address is every
 * broker (for KAFKA_BROKERS) and `members()` lists the nodes for `status` and `down`.
 */
export function kafkaClusterService(topology: KafkaTopology): LocalService & {
  cluster: KafkaCluster;
} {
  const cluster = createKafkaCluster({
    brokers: topology.brokers,
    basePort: topology.basePort,
    stateDir: clusterStateDir(topology.basePort),
  });
  const members = async (): Promise<ServiceMember[]> =>
    Promise.all(
      cluster.nodes.map(async (n) => ({
        name: n.name,
        address: `${n.address} (controller :${n.controllerPort})`,
        pid: n.pid(),
        healthy: await n.isHealthy(),
      })),
    );
  return {
    name: 'kafka',
    address: cluster.brokers.join(','),
    cluster,
    get description(): string {
      return (
        `Apache Kafka ${kafkaVersion()}, ${topology.brokers} brokers, KRaft quorum of ` +
        `${topology.brokers}, replication factor ${cluster.replicationFactor}, ` +
        `min.insync.replicas ${cluster.minInsyncReplicas}`
      );
    },
    isHealthy: () => cluster.isHealthy(),
    async start(log) {
      const result = await cluster.start(log);
      mkdirSync(STATE_DIR, { recursive: true });
      writeFileSync(TOPOLOGY_FILE, `${JSON.stringify(topology)}\n`);
      return result;
    },
    async stop(log) {
      await cluster.stop(log);
      rmSync(TOPOLOGY_FILE, { force: true });
    },
    members,
  };
}
