/**
 * Runs `npm start`'s entry point (standalone/src/main.ts) as a child process
 * for tests and benchmarks: waits for the banner, keeps its output, and stops
 * it with a signal of the caller's choosing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A free TCP port on 127.0.0.1 (closed again; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running (or exited) standalone child. */
export interface StandaloneChild {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves with the exit code (128 + n for a signal). */
  exited: Promise<number>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Spawns the standalone process with `env` on top of a clean environment (no service URLs inherited). */
export function spawnStandalone(
  env: Record<string, string>,
  args: readonly string[] = [],
): StandaloneChild {
  const base = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'CLICKHOUSE_URL', 'PORT']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'standalone/src/main.ts', ...args], {
    cwd: root,
    // Any free metrics port: tests and benchmarks run beside each other and `npm start`.
    env: { ...base, GOSIGHT_LOG_LEVEL: 'warn', GOSIGHT_INGESTOR_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 143)));
  });
  return {
    child,
    output: () => text,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Resolves once the banner is printed; rejects with the output if the process exits or `timeoutMs` passes. */
export async function waitForBanner(run: StandaloneChild, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (!run.output().includes('gosight is running')) {
    if (exited || Date.now() > deadline) {
      throw new Error(`standalone did not start:\n${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
