import { spawn } from 'node:child_process';
import { isCommandNotFound, MissingToolError } from '../missing-tool-error';

/** The outcome of a finished command: exit code (-1 on a signal) and its combined output. */
export interface ProcessResult {
  code: number;
  output: string;
}

/**
 * Runs a program to completion with the given environment, collecting stdout and stderr
 * together. Never rejects on a non-zero exit; rejects with MissingToolError (carrying
 * `installHint`) when the program is not installed.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; installHint?: string; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs, killSignal: 'SIGKILL' }),
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', (e) =>
      reject(
        isCommandNotFound(e) && opts.installHint !== undefined
          ? new MissingToolError(command, opts.installHint)
          : e,
      ),
    );
    child.once('close', (code) =>
      resolve({ code: code ?? -1, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

/** The last `n` lines of a command's output, indented, for an error message. */
export function lastLines(output: string, n = 15): string {
  return output
    .trimEnd()
    .split('\n')
    .slice(-n)
    .map((l) => `    ${l}`)
    .join('\n');
}
