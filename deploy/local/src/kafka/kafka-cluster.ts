/**
 * A local multi-broker Apache Kafka cluster on loopback: N JVMs in KRaft combined mode
 * (broker + controller each), one static controller quorum of all N nodes, topics with
 * replication factor min(3, N) and min.insync.replicas = RF - 1. Ports and the state folder
 * are options, so tests can run a cluster of their own next to a running default stack.
 *
 * Node i (1-based) listens on basePort + 2(i-1) (broker) and basePort + 2(i-1) + 1
 * (controller); its files are <stateDir>/kafka-<i>.pid, .log, -server.properties and
 * -data/. The cluster id is kept in <stateDir>/kafka-cluster.id, so stop + start keeps
 * topics and offsets.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { JAVA_INSTALL_HINT } from '../config';
import { isPortOpen } from '../is-port-open';
import { isCommandNotFound, MissingToolError } from '../missing-tool-error';
import { isProcessAlive } from '../pidfile';
import { runCommand } from '../run-command';
import { waitFor } from '../wait-for';
import { renderServerProperties } from './kafka-config';
import { KAFKA_FILES } from './kafka-files';
import { isKafkaGroupCoordinatorReady } from './kafka-health';
import { ensureKafkaLibs, kafkaClassPath } from './kafka-libs';
import { newClusterId } from './kafka-storage';

/** Where and how big a local cluster is. */
export interface KafkaClusterOptions {
  /** number of nodes (each broker + controller); 3 gives a quorum that survives one loss */
  brokers: number;
  /** broker port of node 1; see the file comment for the others */
  basePort: number;
  /** pidfiles, logs, rendered configs and data dirs */
  stateDir: string;
  host?: string;
  /** JVM heap per node (-Xmx); default 384m */
  heapMax?: string;
  /** how long start() waits for the whole cluster; default 180 s */
  startTimeoutMs?: number;
}

/** One node of the cluster. */
export interface KafkaNode {
  readonly id: number;
  readonly name: string;
  readonly port: number;
  readonly controllerPort: number;
  /** host:port of its broker listener */
  readonly address: string;
  readonly logFile: string;
  /** the pid of the JVM we started for it, if it is alive */
  pid(): number | undefined;
  /** spawns the JVM unless ours is alive (does not wait for health); true when it spawned */
  spawn(): Promise<boolean>;
  /** SIGKILL, no shutdown at all (a crashed machine); resolves once the process is gone */
  kill(): Promise<number | undefined>;
  /** SIGTERM (controlled shutdown), SIGKILL after `graceMs`; resolves once gone */
  stop(graceMs?: number): Promise<number | undefined>;
  /** its broker port answers a Metadata request */
  isHealthy(): Promise<boolean>;
}

export interface KafkaCluster {
  readonly nodes: readonly KafkaNode[];
  /** every broker address, for KAFKA_BROKERS */
  readonly brokers: string[];
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** formats storage where needed, spawns every node not running, waits until all are in */
  start(log?: (line: string) => void): Promise<'started' | 'reused'>;
  /** waits until every node is registered with the controller and groups can be served */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** every node answers and the cluster lists all of them */
  isHealthy(): Promise<boolean>;
  /** stops every node we started (controlled shutdown, all at once) */
  stop(log?: (line: string) => void): Promise<void>;
}

/** Creates (does not start) a local cluster; see {@link KafkaClusterOptions}. */
export function createKafkaCluster(options: KafkaClusterOptions): KafkaCluster {
  const host = options.host ?? '127.0.0.1';
  const heapMax = options.heapMax ?? '384m';
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const { stateDir, basePort, brokers: size } = options;
  if (!Number.isInteger(size) || size < 1 || size > 9) {
    throw new Error(`a local Kafka cluster has 1 to 9 brokers (asked for ${size})`);
  }
  const replicationFactor = Math.min(3, size);
  const minInsyncReplicas = Math.max(1, replicationFactor - 1);
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const portOf = (id: number) => basePort + 2 * (id - 1);
  const voters = ids.map((id) => `${id}@${host}:${portOf(id) + 1}`).join(',');
  const clusterIdFile = path.join(stateDir, 'kafka-cluster.id');
  const brokerList = ids.map((id) => `${host}:${portOf(id)}`);

  const nodes = ids.map((id) => createNode(id));

  function createNode(id: number): KafkaNode {
    const name = `kafka-${id}`;
    const port = portOf(id);
    const controllerPort = port + 1;
    const address = `${host}:${port}`;
    const pidFile = path.join(stateDir, `${name}.pid`);
    const logFile = path.join(stateDir, `${name}.log`);
    const dataDir = path.join(stateDir, `${name}-data`);
    const propertiesFile = path.join(stateDir, `${name}-server.properties`);
    // On the JVM's command line, so a recycled pid is never taken for our broker.
    const marker = `-Dgosight.service=kafka-${basePort}-${id}`;

    const pid = (): number | undefined => {
      let value: number;
      try {
        value = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
      } catch {
        return undefined;
      }
      if (!Number.isInteger(value) || value <= 0 || !isProcessAlive(value)) return undefined;
      try {
        const cmd = readFileSync(`/proc/${value}/cmdline`, 'utf8');
        return cmd.includes(marker) ? value : undefined;
      } catch {
        return value;
      }
    };

    async function ensureStorage(libsDir: string, clusterId: string): Promise<void> {
      if (existsSync(path.join(dataDir, 'meta.properties'))) return;
      rmSync(dataDir, { recursive: true, force: true });
      const result = await runCommand(
        'java',
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          `-Dlog4j2.configurationFile=${KAFKA_FILES.toolsLog4j}`,
          '-cp',
          kafkaClassPath(libsDir),
          'kafka.tools.StorageTool',
          'format',
          '--cluster-id',
          clusterId,
          '--config',
          propertiesFile,
        ],
        { installHint: JAVA_INSTALL_HINT, timeoutMs: 120_000 },
      );
      if (result.code !== 0) {
        rmSync(dataDir, { recursive: true, force: true });
        throw new Error(
          `kafka-storage format of ${name} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`.trim(),
        );
      }
    }

    async function spawnNode(): Promise<boolean> {
      if (pid() !== undefined) return false;
      for (const p of [port, controllerPort]) {
        if (await isPortOpen(host, p)) {
          throw new Error(`${host}:${p} (${name}) is in use by a process we did not start`);
        }
      }
      const libsDir = await ensureKafkaLibs(() => undefined);
      mkdirSync(stateDir, { recursive: true });
      const template = readFileSync(KAFKA_FILES.clusterServerTemplate, 'utf8');
      writeFileSync(
        propertiesFile,
        renderServerProperties(template, {
          NODE_ID: String(id),
          QUORUM_VOTERS: voters,
          BROKER_PORT: String(port),
          CONTROLLER_PORT: String(controllerPort),
          LOG_DIRS: dataDir,
          REPLICATION_FACTOR: String(replicationFactor),
          MIN_INSYNC: String(minInsyncReplicas),
        }),
      );
      await ensureStorage(libsDir, clusterId());
      const args = [
        marker,
        '-Xms128m',
        `-Xmx${heapMax}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${KAFKA_FILES.brokerLog4j}`,
        '-cp',
        kafkaClassPath(libsDir),
        'kafka.Kafka',
        propertiesFile,
      ];
      const fd = openSync(logFile, 'a');
      writeSync(
        fd,
        `\n=== ${new Date().toISOString()} gosight starting ${name}: java ${args.join(' ')}\n`,
      );
      const child = await new Promise<ReturnType<typeof spawn>>((resolve, reject) => {
        const c = spawn('java', args, { detached: true, stdio: ['ignore', fd, fd] });
        c.once('error', (err) => {
          closeSync(fd);
          reject(isCommandNotFound(err) ? new MissingToolError('java', JAVA_INSTALL_HINT) : err);
        });
        c.once('spawn', () => {
          closeSync(fd);
          c.unref();
          resolve(c);
        });
      });
      if (child.pid === undefined) throw new Error(`${name}: spawned without a pid`);
      writeFileSync(pidFile, `${child.pid}\n`);
      return true;
    }

    async function signalAndWait(
      sig: NodeJS.Signals,
      graceMs: number,
    ): Promise<number | undefined> {
      const running = pid();
      if (running === undefined) return undefined;
      const send = (s: NodeJS.Signals) => {
        try {
          process.kill(-running, s); // its own process group (spawned detached)
        } catch {
          try {
            process.kill(running, s);
          } catch {
            // already gone
          }
        }
      };
      send(sig);
      const deadline = Date.now() + graceMs;
      while (isProcessAlive(running) && Date.now() < deadline) await sleep(50);
      if (isProcessAlive(running)) {
        send('SIGKILL');
        while (isProcessAlive(running)) await sleep(50);
      }
      rmSync(pidFile, { force: true });
      return running;
    }

    return {
      id,
      name,
      port,
      controllerPort,
      address,
      logFile,
      pid,
      spawn: spawnNode,
      kill: () => signalAndWait('SIGKILL', 10_000),
      stop: (graceMs = 30_000) => signalAndWait('SIGTERM', graceMs),
      isHealthy: () => brokersSeenBy(address).then((n) => n > 0),
    };
  }

  function clusterId(): string {
    if (existsSync(clusterIdFile)) return readFileSync(clusterIdFile, 'utf8').trim();
    const id = newClusterId(randomBytes);
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(clusterIdFile, `${id}\n`);
    return id;
  }

  /** How many brokers the node at `address` lists (0 when it does not answer). */
  async function brokersSeenBy(address: string): Promise<number> {
    const [h = host, p = '0'] = address.split(':');
    if (!(await isPortOpen(h, Number(p)))) return 0;
    const admin = new Kafka({
      clientId: 'gosight-local-cluster-health',
      brokers: [address],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 3_000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      return (await admin.describeCluster()).brokers.length;
    } catch {
      return 0;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function isHealthy(): Promise<boolean> {
    const seen = await Promise.all(nodes.map((n) => brokersSeenBy(n.address)));
    return seen.every((n) => n === size);
  }

  async function waitHealthy(timeoutMs = startTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const abortIf = (): string | undefined => {
      const dead = nodes.filter((n) => n.pid() === undefined);
      return dead.length === 0
        ? undefined
        : `${dead.map((n) => n.name).join(', ')} exited (see ${dead[0]?.logFile})`;
    };
    await waitFor(isHealthy, {
      timeoutMs,
      intervalMs: 500,
      what: `all ${size} Kafka brokers on ${brokerList.join(',')} to see each other`,
      abortIf,
    });
    for (const node of nodes) {
      await waitFor(() => isKafkaGroupCoordinatorReady(host, node.port), {
        timeoutMs: Math.max(1_000, deadline - Date.now()),
        intervalMs: 250,
        what: `the group coordinator via ${node.address}`,
        abortIf,
      });
    }
  }

  return {
    nodes,
    brokers: brokerList,
    replicationFactor,
    minInsyncReplicas,
    async start(log = () => undefined) {
      const spawned: string[] = [];
      // All at once: no node becomes a broker before a majority of the quorum is up.
      await Promise.all(
        nodes.map(async (n) => {
          if (await n.spawn()) spawned.push(n.name);
        }),
      );
      if (spawned.length > 0) log(`spawned ${spawned.sort().join(', ')}; waiting for the quorum`);
      await waitHealthy();
      return spawned.length > 0 ? 'started' : 'reused';
    },
    waitHealthy,
    isHealthy,
    async stop(log = () => undefined) {
      const stopped = await Promise.all(nodes.map((n) => n.stop()));
      stopped.forEach((p, i) => {
        if (p !== undefined) log(`stopped ${nodes[i]?.name} (pid ${p})`);
      });
    },
  };
}
