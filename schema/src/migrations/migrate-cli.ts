/**
 * `npm run migrate`: applies the ClickHouse migrations to CLICKHOUSE_URL.
 * Exit codes: 0 done, 1 a migration failed or changed, 2 bad configuration.
 */
import { createClient } from '@clickhouse/client';
import { z } from 'zod';
import { clickhouseEnv, retentionEnv } from '../config/config-shapes';
import { ConfigError, parseEnv } from '../config/env';
import { runMigrations } from './migrate';

async function main(): Promise<number> {
  let config;
  try {
    config = parseEnv(z.object({ ...clickhouseEnv, ...retentionEnv }), process.env, {
      service: 'migrate',
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const client = createClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  try {
    const result = await runMigrations({
      client,
      database: config.CLICKHOUSE_DATABASE,
      retentionDays: config.GOSIGHT_RETENTION_DAYS,
      log: (line) => console.log(line),
    });
    console.log(
      `migrate: ${config.CLICKHOUSE_DATABASE} at ${config.CLICKHOUSE_URL} is up to date ` +
        `(${result.applied.length} applied now, ${result.alreadyApplied.length} already applied)`,
    );
    return 0;
  } catch (error) {
    console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client.close();
  }
}

process.exitCode = await main();
