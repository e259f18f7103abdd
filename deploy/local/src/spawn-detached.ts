import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { logFilePath, STATE_DIR } from './paths';
import { writePid } from './pidfile';

/** What to run for {@link spawnDetached}. */
export interface DetachedCommand {
  /** service name: the pidfile and log are .state/<name>.pid and .state/<name>.log */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a command that outlives this process (own process group, stdout+stderr appended
 * to .state/<name>.log, pidfile written) and returns its pid. Does not wait for health.
 */
export function spawnDetached(cmd: DetachedCommand): Promise<number> {
  mkdirSync(STATE_DIR, { recursive: true });
  const logPath = logFilePath(cmd.name);
  const fd = openSync(logPath, 'a');
  writeSync(
    fd,
    `\n=== ${new Date().toISOString()} gosight starting: ${cmd.command} ${cmd.args.join(' ')}\n`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.command, cmd.args, {
      cwd: cmd.cwd,
      ...(cmd.env === undefined ? {} : { env: cmd.env }),
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    child.once('error', (err) => {
      closeSync(fd);
      reject(err);
    });
    child.once('spawn', () => {
      closeSync(fd);
      child.unref();
      if (child.pid === undefined) {
        reject(new Error(`${cmd.name}: spawned without a pid`));
        return;
      }
      writePid(cmd.name, child.pid);
      resolve(child.pid);
    });
  });
}
