import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from './paths';
import { isProcessAlive } from './pidfile';
import { waitFor } from './wait-for';

function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Held: take it over only if its holder has died (a crashed `stack:up`).
  const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) return false;
  rmSync(file, { force: true });
  return false; // the next attempt creates it afresh
}

/**
 * Runs `fn` while holding .state/<name>.lock, so two processes starting the same service at
 * once (tests and `npm start`, say) do not both spawn it: the second waits, then finds the
 * service healthy and reuses it.
 */
export async function withStartLock<T>(
  name: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  mkdirSync(STATE_DIR, { recursive: true });
  const file = path.join(STATE_DIR, `${name}.lock`);
  await waitFor(() => tryLock(file), {
    timeoutMs,
    intervalMs: 100,
    what: `another process to finish starting ${name} (${file})`,
  });
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
