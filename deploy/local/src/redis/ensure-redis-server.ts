import { runCommand } from '../run-command';
import { MissingToolError } from '../missing-tool-error';

const INSTALL_HINT = 'apt-get install -y redis-server';

async function installed(): Promise<string | undefined> {
  try {
    const r = await runCommand('redis-server', ['--version'], { timeoutMs: 10_000 });
    return r.code === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

async function aptInstall(log: (line: string) => void): Promise<boolean> {
  log(`redis-server not found; running: ${INSTALL_HINT}`);
  const apt = { timeoutMs: 10 * 60_000, installHint: INSTALL_HINT };
  const env = ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'redis-server'];
  if ((await runCommand('env', env, apt)).code === 0) return true;
  // A fresh machine has no package lists yet; fetch them only when the install needs it.
  log('apt-get install failed; running apt-get update and retrying');
  await runCommand('apt-get', ['update'], apt);
  return (await runCommand('env', env, apt)).code === 0;
}

/**
 * Makes sure Debian's `redis-server` is installed (installing it with apt-get when missing)
 * and resolves with its version line.
 */
export async function ensureRedisServer(log: (line: string) => void): Promise<string> {
  const before = await installed();
  if (before !== undefined) return before;
  const after = (await aptInstall(log)) ? await installed() : undefined;
  if (after === undefined) throw new MissingToolError('redis-server', INSTALL_HINT);
  return after;
}
