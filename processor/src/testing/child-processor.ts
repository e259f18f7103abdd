/** Runs the processor's real entry point (src/main.ts) as a child process, for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestEnv } from './harness';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ChildProcessor {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Starts `tsx src/main.ts` with the test's topic, groups, database and key prefix. */
export function startChildProcessor(
  env: TestEnv,
  extraEnv: Record<string, string> = {},
): ChildProcessor {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: env.brokers.join(','),
      REDIS_URL: env.redisUrl,
      CLICKHOUSE_URL: env.clickhouseUrl,
      CLICKHOUSE_USER: env.clickhouseAuth.username,
      CLICKHOUSE_PASSWORD: env.clickhouseAuth.password,
      CLICKHOUSE_DATABASE: env.settings.database,
      GOSIGHT_TOPIC_RAW: env.settings.topic,
      GOSIGHT_TOPIC_DLQ: env.settings.dlqTopic,
      GOSIGHT_CONSUMER_GROUP: env.settings.group,
      GOSIGHT_REDIS_PREFIX: env.settings.redisPrefix,
      GOSIGHT_KAFKA_SESSION_TIMEOUT_MS: String(env.settings.kafkaSessionTimeoutMs),
      METRICS_PORT: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => output, exited };
}
