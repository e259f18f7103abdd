import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_CONFIG } from '../config';
import { isPortOpen } from '../is-port-open';
import { isCommandNotFound, MissingToolError } from '../missing-tool-error';
import { STATE_DIR } from '../paths';
import { isProcessAlive, killFromPidFile, readLivePid } from '../pidfile';
import type { LocalService } from '../service';
import { spawnDetached } from '../spawn-detached';
import { withStartLock } from '../start-lock';
import { waitFor } from '../wait-for';
import { ensureRedisServer } from './ensure-redis-server';
import { isRedisHealthy } from './redis-health';

/** redis-server rewrites its process title to "redis-server 127.0.0.1:6379". */
const MARKER = 'redis-server';

/** Which redis-server a {@link createRedisService} runs. */
export interface RedisServiceOptions {
  /** service name: pidfile, log and lock are .state/<name>.* */
  name: string;
  host: string;
  port: number;
  dataDir: string;
  startTimeoutMs: number;
  /** start as a replica of this primary (`--replicaof host port`) */
  replicaOf?: { host: string; port: number };
}

/** A local redis-server as a service of the stack (no persistence: a restart starts empty). */
export function createRedisService(options: RedisServiceOptions): LocalService {
  const { name: NAME, host, port, startTimeoutMs, dataDir } = options;
  const address = `redis://${host}:${port}`;
  /** e.g. 'Redis 7.0.15', once we know which redis-server we run */
  let description = options.replicaOf
    ? `Redis, replica of ${options.replicaOf.host}:${options.replicaOf.port}`
    : 'Redis';

  function healthy(): Promise<boolean> {
    return isRedisHealthy(host, port);
  }

  function start(log: (line: string) => void): Promise<'started' | 'reused'> {
    return withStartLock(NAME, startTimeoutMs, () => startUnlocked(log));
  }

  async function startUnlocked(log: (line: string) => void): Promise<'started' | 'reused'> {
    const ours = readLivePid(NAME, MARKER);
    if (await healthy()) {
      log(
        ours === undefined
          ? `reusing ${host}:${port} (not started by gosight)`
          : `already running on ${host}:${port} (started by gosight, pid ${ours})`,
      );
      return 'reused';
    }
    if (await isPortOpen(host, port)) {
      throw new Error(`${host}:${port} is in use by something that does not answer PING`);
    }
    const version = /v=(\S+)/.exec(await ensureRedisServer(log))?.[1];
    if (version !== undefined) {
      description = options.replicaOf
        ? `Redis ${version}, replica of ${options.replicaOf.host}:${options.replicaOf.port}`
        : `Redis ${version}`;
    }
    mkdirSync(dataDir, { recursive: true });
    let pid: number;
    try {
      pid = await spawnDetached({
        name: NAME,
        command: 'redis-server',
        // No persistence (a local dev/test store): a restart starts empty.
        args: [
          '--port',
          String(port),
          '--bind',
          host,
          '--daemonize',
          'no',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dataDir,
          ...(options.replicaOf
            ? ['--replicaof', options.replicaOf.host, String(options.replicaOf.port)]
            : []),
        ],
      });
    } catch (err) {
      throw isCommandNotFound(err)
        ? new MissingToolError('redis-server', 'apt-get install -y redis-server')
        : err;
    }
    await waitFor(healthy, {
      timeoutMs: startTimeoutMs,
      intervalMs: 100,
      what: `redis to answer PING on ${host}:${port}`,
      abortIf: () => (isProcessAlive(pid) ? undefined : `redis-server (pid ${pid}) exited`),
    });
    return 'started';
  }

  async function stop(log: (line: string) => void): Promise<void> {
    const pid = await killFromPidFile(NAME, { marker: MARKER, graceMs: 10_000 });
    if (pid !== undefined) log(`stopped pid ${pid}`);
  }
  return {
    name: NAME,
    address,
    get description(): string {
      return description;
    },
    isHealthy: healthy,
    start,
    stop,
  };
}

const { host, port, replicaPort, startTimeoutMs } = LOCAL_CONFIG.redis;

/** Debian's redis-server on 127.0.0.1:6379, no persistence, data dir under .state/redis. */
export const redisService: LocalService = createRedisService({
  name: 'redis',
  host,
  port,
  startTimeoutMs,
  dataDir: path.join(STATE_DIR, 'redis'),
});

/**
 * `stack:up -- --redis-replica`: a second redis-server on 127.0.0.1:6380 replicating the
 * primary (`--replicaof 127.0.0.1 6379`); deploy/README.md says how to promote it.
 */
export const redisReplicaService: LocalService = createRedisService({
  name: 'redis-replica',
  host,
  port: replicaPort,
  startTimeoutMs,
  dataDir: path.join(STATE_DIR, 'redis-replica'),
  replicaOf: { host, port },
});
