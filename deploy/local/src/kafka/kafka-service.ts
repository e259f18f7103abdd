import { JAVA_INSTALL_HINT, LOCAL_CONFIG } from '../config';
import { isPortOpen } from '../is-port-open';
import { isCommandNotFound, MissingToolError } from '../missing-tool-error';
import { isProcessAlive, killFromPidFile, readLivePid } from '../pidfile';
import type { LocalService } from '../service';
import { spawnDetached } from '../spawn-detached';
import { withStartLock } from '../start-lock';
import { waitFor } from '../wait-for';
import { writeServerProperties } from './kafka-config';
import { KAFKA_FILES } from './kafka-files';
import { isKafkaGroupCoordinatorReady, isKafkaHealthy } from './kafka-health';
import { ensureKafkaLibs, kafkaClassPath, kafkaVersion } from './kafka-libs';
import { ensureKafkaStorage } from './kafka-storage';

const NAME = 'kafka';
/** On the broker's command line, so a recycled pid is never mistaken for our broker. */
const MARKER = '-Dgosight.service=kafka';
const { host, port, controllerPort, heap, startTimeoutMs } = LOCAL_CONFIG.kafka;
const address = `${host}:${port}`;

function healthy(): Promise<boolean> {
  return isKafkaHealthy(host, port);
}

/** Waits until the broker we started answers and its group coordinator is ready. */
async function waitHealthy(pid: number): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  const abortIf = (): string | undefined =>
    isProcessAlive(pid) ? undefined : `the broker (pid ${pid}) exited`;
  await waitFor(healthy, {
    timeoutMs: startTimeoutMs,
    intervalMs: 250,
    what: `kafka to answer on ${address}`,
    abortIf,
  });
  await waitFor(() => isKafkaGroupCoordinatorReady(host, port), {
    timeoutMs: Math.max(1_000, deadline - Date.now()),
    intervalMs: 100,
    what: `kafka's group coordinator on ${address}`,
    abortIf,
  });
}

function start(log: (line: string) => void): Promise<'started' | 'reused'> {
  return withStartLock(NAME, startTimeoutMs, () => startUnlocked(log));
}

async function startUnlocked(log: (line: string) => void): Promise<'started' | 'reused'> {
  const ours = readLivePid(NAME, MARKER);
  if (await healthy()) {
    log(
      ours === undefined
        ? `reusing ${address} (not started by gosight)`
        : `already running on ${address} (started by gosight, pid ${ours})`,
    );
    return 'reused';
  }
  if (ours !== undefined) {
    log(`waiting for the broker we started earlier (pid ${ours}) to become healthy`);
    await waitHealthy(ours);
    return 'reused';
  }
  for (const p of [port, controllerPort]) {
    if (await isPortOpen(host, p)) {
      throw new Error(`${host}:${p} is in use by something that does not answer as Kafka`);
    }
  }

  const libsDir = await ensureKafkaLibs(log);
  const serverProperties = writeServerProperties();
  await ensureKafkaStorage(libsDir, serverProperties, log);
  let pid: number;
  try {
    pid = await spawnDetached({
      name: NAME,
      command: 'java',
      args: [
        MARKER,
        `-Xms${heap.initial}`,
        `-Xmx${heap.max}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${KAFKA_FILES.brokerLog4j}`,
        '-cp',
        kafkaClassPath(libsDir),
        'kafka.Kafka',
        serverProperties,
      ],
    });
  } catch (err) {
    throw isCommandNotFound(err) ? new MissingToolError('java', JAVA_INSTALL_HINT) : err;
  }
  await waitHealthy(pid);
  return 'started';
}

async function stop(log: (line: string) => void): Promise<void> {
  const pid = await killFromPidFile(NAME, { marker: MARKER, graceMs: 30_000 });
  if (pid !== undefined) log(`stopped pid ${pid}`);
}

/**
 * Apache Kafka (KRaft, broker + controller in one JVM) on 127.0.0.1:9092, run from the
 * jars Maven puts in .cache/kafka-libs. stop() then start() keeps topics and offsets.
 */
export const kafkaService: LocalService = {
  name: NAME,
  address,
  get description(): string {
    return `Apache Kafka ${kafkaVersion()}`;
  },
  isHealthy: healthy,
  start,
  stop,
};
