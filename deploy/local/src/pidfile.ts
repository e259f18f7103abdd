import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidFilePath, STATE_DIR } from './paths';

/** Records that we started service `name` as process `pid` (deploy/local/.state/<name>.pid). */
export function writePid(name: string, pid: number): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(pidFilePath(name), `${pid}\n`);
}

/** Forgets the pid of service `name`. */
export function removePid(name: string): void {
  rmSync(pidFilePath(name), { force: true });
}

/** True when process `pid` exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat is "pid (comm) S ..."; a zombie has exited already.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** The command line of `pid` joined with spaces, or undefined when it cannot be read. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * The pid from service `name`'s pidfile if that process is still alive (and, when `marker`
 * is given, its command line contains it, so a recycled pid is not mistaken for ours);
 * otherwise removes the stale pidfile and returns undefined.
 */
export function readLivePid(name: string, marker?: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFilePath(name), 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  const cmd = Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? commandLine(pid) : '';
  if (cmd === '' || (marker !== undefined && cmd !== undefined && !cmd.includes(marker))) {
    removePid(name);
    return undefined;
  }
  return pid;
}

/** Sends `signal` to the process group of `pid` (we start services as group leaders), else to `pid`. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops the process recorded for service `name`: SIGTERM, then SIGKILL after `graceMs`.
 * Resolves with the pid it stopped, or undefined when nothing of ours was running.
 */
export async function killFromPidFile(
  name: string,
  opts: { marker?: string; graceMs?: number } = {},
): Promise<number | undefined> {
  const pid = readLivePid(name, opts.marker);
  if (pid === undefined) return undefined;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + (opts.graceMs ?? 30_000);
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isProcessAlive(pid)) {
    signal(pid, 'SIGKILL');
    while (isProcessAlive(pid)) await sleep(50);
  }
  removePid(name);
  return pid;
}
