/**
 * Debian's redis-server as a child of the test run (not detached: it dies with it), for the
 * failover tests' primary, replica and cluster nodes on ports of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';

export interface RedisProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** SIGTERM (SIGKILL after 5 s); resolves once it exited */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing flushed or handed over; resolves once it exited */
  kill(): Promise<void>;
  output(): string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `redis-server --port <port> <extra...>` in `dir` and waits until it answers PING. */
export async function startRedisProcess(
  port: number,
  dir: string,
  extra: readonly string[] = [],
): Promise<RedisProcess> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!started) throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited:\n${output}`);
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .then((r) => r === 'PONG')
      .catch(() => false);
    probe.disconnect();
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`redis-server on ${port} did not answer:\n${output}`);
    await sleep(100);
  }
  return {
    port,
    url,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
