/**
 * The compose `init` job: create the Kafka topics, then bring ClickHouse up to
 * the newest migration (with retention), then exit. The services start only
 * after it exited 0 (`depends_on: condition: service_completed_successfully`).
 * Exit codes: 0 done, 1 a step failed, 2 bad configuration.
 */
import { createClient } from '@clickhouse/client';
import { ConfigError, runMigrations } from '@gosight/schema';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics, topicSpecs } from './ensure-topics';
import { loadInitConfig } from './init-config';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<number> {
  let config;
  try {
    config = loadInitConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  const kafka = new Kafka({
    clientId: 'gosight-init',
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.ERROR,
    retry: { retries: 10 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config), log);
  } finally {
    await admin.disconnect();
  }

  const clickhouse = createClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  try {
    const result = await runMigrations({
      client: clickhouse,
      database: config.CLICKHOUSE_DATABASE,
      retentionDays: config.GOSIGHT_RETENTION_DAYS,
      onCluster: config.CLICKHOUSE_CLUSTER,
      log,
    });
    log(
      `init: ${config.CLICKHOUSE_DATABASE} is up to date (${result.applied.length} applied now, ${result.alreadyApplied.length} already applied)`,
    );
  } finally {
    await clickhouse.close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`init: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
