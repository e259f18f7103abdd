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

const NAME = 'redis';
/** redis-server rewrites its process title to "redis-server 127.0.0.1:6379". */
const MARKER = 'redis-server';
const { host, port, startTimeoutMs } = LOCAL_CONFIG.redis;
const address = `redis://${host}:${port}`;
const dataDir = path.join(STATE_DIR, 'redis');
/** e.g. 'Redis 7.0.15', once we know which redis-server we run */
let description = 'Redis';

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
  if (version !== undefined) description = `Redis ${version}`;
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

/** Debian's redis-server on 127.0.0.1:6379, no persistence, data dir under .state/redis. */
export const redisService: LocalService = {
  name: NAME,
  address,
  get description(): string {
    return description;
  },
  isHealthy: healthy,
  start,
  stop,
};
