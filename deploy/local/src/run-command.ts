import { spawn } from 'node:child_process';
import { isCommandNotFound, MissingToolError } from './missing-tool-error';

/** The outcome of a finished command. */
export interface CommandResult {
  /** exit code; -1 when killed by a signal (e.g. the timeout) */
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  cwd?: string;
  /** kill the command (SIGKILL) after this long; the result then has code -1 */
  timeoutMs?: number;
  /** when the program is missing, reject with a MissingToolError carrying this install hint */
  installHint?: string;
}

/**
 * Runs a program to completion and collects its output. Never rejects on a non-zero exit
 * (that is in `code`); rejects with MissingToolError when the program is not installed.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs, killSignal: 'SIGKILL' }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', (e) => {
      reject(
        isCommandNotFound(e) && opts.installHint !== undefined
          ? new MissingToolError(command, opts.installHint)
          : e,
      );
    });
    child.once('close', (code) => {
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
