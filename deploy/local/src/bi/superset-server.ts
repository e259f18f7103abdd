/**
 * Superset's web server (gunicorn) as a detached process bound to 127.0.0.1:
 * started with its pid and log in the data directory, found again by the
 * next `npm run bi`, stopped by `npm run bi -- stop`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../pidfile';
import { fileSize, tailFile } from '../tail-file';
import type { BiConfig } from './bi-config';

const MARKER = 'superset.app:create_app()';

/** The server's pid file and log inside the data directory. */
export function serverFiles(config: BiConfig): { pid: string; log: string } {
  return {
    pid: path.join(config.dataDir, 'superset.pid'),
    log: path.join(config.dataDir, 'superset.log'),
  };
}

/** The URL people open. */
export function serverUrl(config: BiConfig): string {
  return `http://${config.host}:${config.port}/`;
}

/** The pid of the Superset this data directory started, if it still runs. */
export function runningPid(config: BiConfig): number | undefined {
  const { pid: file } = serverFiles(config);
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  let cmd = '';
  try {
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    }
  } catch {
    cmd = '';
  }
  // A recycled pid is not ours: the command line must be our gunicorn.
  if (!cmd.includes(MARKER)) {
    rmSync(file, { force: true });
    return undefined;
  }
  return pid;
}

/** True when Superset answers its health check on the configured port. */
export async function isHealthy(config: BiConfig): Promise<boolean> {
  try {
    const res = await fetch(`${serverUrl(config)}health`, { signal: AbortSignal.timeout(3000) });
    return res.ok && (await res.text()).trim() === 'OK';
  } catch {
    return false;
  }
}

/** The server did not come up; the message carries the end of its log. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
}

/**
 * Starts gunicorn with Superset on 127.0.0.1:port and waits until /health answers.
 * One worker with threads: the metadata database is SQLite, and the machine is small.
 */
export async function startServer(
  config: BiConfig,
  gunicorn: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<number> {
  const files = serverFiles(config);
  const mark = fileSize(files.log);
  const fd = openSync(files.log, 'a', 0o600);
  writeSync(
    fd,
    `\n=== ${new Date().toISOString()} gosight starting Superset on ${serverUrl(config)}\n`,
  );
  const args = [
    '--bind',
    `${config.host}:${config.port}`,
    '--workers',
    '1',
    '--worker-class',
    'gthread',
    '--threads',
    '8',
    // At most this many connections at once; idle keep-alive sockets close after 5 s.
    '--worker-connections',
    '200',
    '--keep-alive',
    '5',
    '--timeout',
    '120',
    '--limit-request-line',
    '8190',
    '--limit-request-fields',
    '100',
    MARKER,
  ];
  const child = spawn(gunicorn, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve(child.pid ?? -1));
  });
  child.unref();
  writeFileSync(files.pid, `${pid}\n`, { mode: 0o600 });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isHealthy(config)) return pid;
    if (!isProcessAlive(pid)) break;
    await sleep(1000);
  }
  await stopServer(config);
  const tail = tailFile(files.log, 25, mark);
  throw new ServerStartError(
    `Superset did not answer on ${serverUrl(config)}health within ${timeoutMs / 1000} s` +
      (tail === '' ? '' : `; the end of ${files.log}:\n${tail}`),
  );
}

/** Stops the Superset this data directory started (SIGTERM, SIGKILL after 20 s); its pid, or undefined. */
export async function stopServer(config: BiConfig): Promise<number | undefined> {
  const pid = runningPid(config);
  if (pid === undefined) return undefined;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig); // the process group: gunicorn's master and its worker
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 200 && isProcessAlive(pid); i++) await sleep(100);
  if (isProcessAlive(pid)) signal('SIGKILL');
  rmSync(serverFiles(config).pid, { force: true });
  return pid;
}
