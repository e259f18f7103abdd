/**
 * `gosight top` wired to the environment: ClickHouse as CLICKHOUSE_USER (the
 * read-only analyst by default), the lag of the processor's groups when
 * KAFKA_BROKERS is set, stdout, and Ctrl-C / SIGTERM to stop.
 */
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ProcessorConfig } from '../config';
import { messageOf } from '../errors';
import { readConsumerLag } from './consumer-lag';
import type { TopCommand } from './top-args';
import { runTopCommand } from './top-command';
import type { LagStatus } from './top-format';

/** Without Kafka the processor reads the in-process bus of `npm start`, which has no groups to ask from outside. */
export const NO_KAFKA_LAG =
  'KAFKA_BROKERS is not set (single-machine mode: the in-process bus of npm start has no Kafka groups to read)';

/**
 * Reads the total lag of each (group, topic); connects on first use and again
 * after a failure, and turns every failure into an `error` status.
 */
export function createLagReader(
  admin: Admin,
  groups: readonly { group: string; topic: string }[],
): { read: () => Promise<LagStatus>; close: () => Promise<void> } {
  let connected: Promise<void> | undefined;
  return {
    async read() {
      try {
        connected ??= admin.connect();
        await connected;
        const lags = await Promise.all(
          groups.map(({ group, topic }) => readConsumerLag(admin, group, topic)),
        );
        return {
          kind: 'groups',
          groups: lags.map((l) => ({ group: l.group, topic: l.topic, total: l.total })),
        };
      } catch (error) {
        connected = undefined;
        await admin.disconnect().catch(() => undefined);
        return { kind: 'error', message: `Kafka: ${messageOf(error)}` };
      }
    },
    async close() {
      await admin.disconnect().catch(() => undefined);
    },
  };
}

/** Runs `gosight top` from the processor's configuration; resolves with the exit code. */
export async function runTopFromConfig(
  command: TopCommand,
  config: ProcessorConfig,
): Promise<number> {
  const client = createClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    request_timeout: 30_000,
    // Failures reach the user as one line (top-command.ts), not as the client's logged stack.
    log: { level: ClickHouseLogLevel.OFF },
  });
  const lag = config.KAFKA_BROKERS
    ? createLagReader(
        new Kafka({
          clientId: 'gosight-top',
          brokers: config.KAFKA_BROKERS,
          logLevel: logLevel.NOTHING,
          // A live view says "unavailable" after a few seconds rather than retrying for a minute.
          connectionTimeout: 3000,
          retry: { retries: 1 },
        }).admin(),
        [
          { group: config.GOSIGHT_CONSUMER_GROUP, topic: config.GOSIGHT_TOPIC_RAW },
          // The processor's DLQ recorder (processor.ts: `${group}-dlq` on the DLQ topic).
          { group: `${config.GOSIGHT_CONSUMER_GROUP}-dlq`, topic: config.GOSIGHT_TOPIC_DLQ },
        ],
      )
    : undefined;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runTopCommand({
      client,
      database: config.CLICKHOUSE_DATABASE,
      where: new URL(config.CLICKHOUSE_URL).origin,
      command,
      readLag: lag ? lag.read : () => Promise.resolve({ kind: 'none', reason: NO_KAFKA_LAG }),
      write: (text) => process.stdout.write(text),
      err: (line) => console.error(line),
      tty: process.stdout.isTTY === true,
      size: () =>
        process.stdout.isTTY
          ? { columns: process.stdout.columns, rows: process.stdout.rows }
          : undefined,
      signal: stop.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lag?.close();
    await client.close();
  }
}
