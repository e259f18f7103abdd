/**
 * The `gosight` command line (bin/gosight.mjs runs this file with tsx).
 * Exit codes: 0 ok, 1 failed or above --max-lag, 2 bad flags or configuration.
 */
import { ConfigError } from '@gosight/schema';
import { createClient } from '@clickhouse/client';
import { Kafka, logLevel } from 'kafkajs';
import { parseCommand, type Command } from './cli/cli-args';
import { loadConfig, type ProcessorConfig } from './config';
import { runDlqListCommand } from './cli/dlq-list-command';
import { runDlqReplay } from './cli/dlq-replay-command';
import { ERROR_CODES, ProcessorError, messageOf, usageError } from './errors';
import { runExportCommand } from './cli/export-command';
import { runLagCommand } from './cli/lag-command';
import { runProfilesImport } from './cli/profiles-import-command';
import { runTopFromConfig } from './cli/top-main';
import { createWarehouse } from './warehouse/warehouse';

const out = (line: string) => console.log(line);
const err = (line: string) => console.error(line);

function kafkaOf(config: ProcessorConfig): Kafka {
  if (!config.KAFKA_BROKERS) throw usageError('KAFKA_BROKERS is not set: the command needs Kafka');
  return new Kafka({
    clientId: 'gosight-cli',
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
}

async function run(command: Command, config: ProcessorConfig): Promise<number> {
  switch (command.name) {
    case 'help':
      out(command.text);
      return 0;
    case 'lag': {
      const admin = kafkaOf(config).admin();
      await admin.connect();
      try {
        return await runLagCommand({
          admin,
          groups: command.groups.length > 0 ? command.groups : [config.GOSIGHT_CONSUMER_GROUP],
          topic: command.topic ?? config.GOSIGHT_TOPIC_RAW,
          json: command.json,
          maxLag: command.maxLag,
          out,
          err,
        });
      } finally {
        await admin.disconnect();
      }
    }
    case 'dlq-list': {
      const client = createClient({
        url: config.CLICKHOUSE_URL,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
      });
      try {
        const warehouse = createWarehouse(client, config.CLICKHOUSE_DATABASE);
        return await runDlqListCommand({
          warehouse,
          limit: command.limit,
          json: command.json,
          out,
        });
      } finally {
        await client.close();
      }
    }
    case 'export': {
      const client = createClient({
        url: config.CLICKHOUSE_URL,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
        // An export streams for as long as it takes; progress headers keep the
        // connection busy while ClickHouse works before its first byte (FINAL, Parquet
        // row groups), as clickhouse-js docs/howto/long_running_queries.md advises.
        request_timeout: 24 * 3_600_000,
        clickhouse_settings: {
          send_progress_in_http_headers: 1,
          http_headers_progress_interval_ms: '110000',
        },
      });
      try {
        return await runExportCommand({
          client,
          database: config.CLICKHOUSE_DATABASE,
          table: command.table,
          from: command.from,
          to: command.to,
          projects: command.projects,
          format: command.format,
          out: command.out,
          force: command.force,
          err,
        });
      } finally {
        await client.close();
      }
    }
    case 'top':
      return await runTopFromConfig(command, config);
    case 'profiles-import': {
      const client = createClient({
        url: config.CLICKHOUSE_URL,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
      });
      try {
        const warehouse = createWarehouse(client, config.CLICKHOUSE_DATABASE);
        const result = await runProfilesImport({
          ...command,
          warehouse,
          now: Date.now(),
          out,
          err,
        });
        return result.bad > 0 ? 1 : 0;
      } finally {
        await client.close();
      }
    }
    case 'dlq-replay':
      await runDlqReplay({
        kafka: kafkaOf(config),
        dlqTopic: config.GOSIGHT_TOPIC_DLQ,
        rawTopic: command.topic ?? config.GOSIGHT_TOPIC_RAW,
        since: command.since,
        dryRun: command.dryRun,
        out,
      });
      return 0;
  }
}

async function main(): Promise<number> {
  try {
    const command = parseCommand(process.argv.slice(2));
    if (command.name === 'help') return await run(command, {} as ProcessorConfig);
    return await run(command, loadConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    if (error instanceof ProcessorError && error.code === ERROR_CODES.cliUsage) {
      err(`gosight: ${error.message}`);
      return 2;
    }
    err(`gosight: ${messageOf(error)}`);
    return 1;
  }
}

process.exitCode = await main();
