/**
 * The ClickHouse endpoint as a service of the local stack: main.ts in its own detached process
 * on 127.0.0.1:8123, data in deploy/local/.state/clickhouse-data (kept across restarts).
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isPortOpen } from '../is-port-open';
import { STATE_DIR } from '../paths';
import { isProcessAlive, killFromPidFile, readLivePid } from '../pidfile';
import type { LocalService } from '../service';
import { spawnDetached } from '../spawn-detached';
import { waitFor } from '../wait-for';
import { tsxLoaderUrl } from '../tsx-loader';
import {
  readWriterCredentials,
  writerPasswordPath,
  type EndpointCredentials,
} from './endpoint-users';

const NAME = 'clickhouse';
const HOST = '127.0.0.1';
const PORT = 8123;
const ADDRESS = `http://${HOST}:${PORT}`;
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
/** what identifies our process in /proc/<pid>/cmdline, so a recycled pid is not taken for it */
const MARKER = path.join('clickhouse', 'main.ts');
const DATA_DIR = path.join(STATE_DIR, 'clickhouse-data');
let description = 'ClickHouse engine (chdb) on the HTTP interface';

/** True when GET /ping answers "Ok." within a second. */
async function isHealthy(): Promise<boolean> {
  try {
    const res = await fetch(`${ADDRESS}/ping`, { signal: AbortSignal.timeout(1_000) });
    return res.ok && (await res.text()) === 'Ok.\n';
  } catch {
    return false;
  }
}

/** Reads the engine version from the running endpoint for the CLI's summary line. */
async function learnVersion(): Promise<void> {
  try {
    const res = await fetch(`${ADDRESS}/?query=SELECT%20version()`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (res.ok) description = `ClickHouse ${(await res.text()).trim()} (chdb)`;
  } catch {
    // only cosmetic
  }
}

async function start(log: (line: string) => void): Promise<'started' | 'reused'> {
  const ours = readLivePid(NAME, MARKER);
  if (await isHealthy()) {
    log(
      ours === undefined
        ? `reusing ${ADDRESS} (not started by gosight)`
        : `already running on ${ADDRESS} (started by gosight, pid ${ours})`,
    );
    await learnVersion();
    return 'reused';
  }
  if (await isPortOpen(HOST, PORT)) {
    throw new Error(`${HOST}:${PORT} is in use by something that does not answer GET /ping`);
  }
  const pid = await spawnDetached({
    name: NAME,
    command: process.execPath,
    // One process (no tsx CLI wrapper), so SIGTERM reaches the server itself.
    args: [
      '--import',
      tsxLoaderUrl(),
      MAIN,
      '--port',
      String(PORT),
      '--host',
      HOST,
      '--data-dir',
      DATA_DIR,
    ],
    env: { ...process.env, TZ: 'UTC' },
  });
  await waitFor(isHealthy, {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: `the ClickHouse endpoint to answer on ${ADDRESS}/ping`,
    abortIf: () =>
      isProcessAlive(pid) ? undefined : `the ClickHouse endpoint (pid ${pid}) exited`,
  });
  await learnVersion();
  log(`started ${description} on ${ADDRESS} (pid ${pid})`);
  return 'started';
}

async function stop(log: (line: string) => void): Promise<void> {
  const pid = await killFromPidFile(NAME, { marker: MARKER, graceMs: 30_000 });
  if (pid !== undefined) log(`stopped pid ${pid}`);
}

/** Where the local endpoint keeps its writer's password. */
export function clickhouseWriterPasswordPath(): string {
  return writerPasswordPath(DATA_DIR);
}

/**
 * The writer credentials of the local endpoint (generated on its first start), for the services
 * and tests that write to it; undefined when it never started on this machine.
 */
export function localClickHouseWriter(): EndpointCredentials | undefined {
  try {
    return readWriterCredentials(DATA_DIR);
  } catch {
    return undefined;
  }
}

/** The chdb-backed ClickHouse HTTP endpoint on 127.0.0.1:8123 (data under .state/clickhouse-data). */
export const clickhouseService: LocalService = {
  name: NAME,
  address: ADDRESS,
  get description(): string {
    return description;
  },
  isHealthy,
  start,
  stop,
};
