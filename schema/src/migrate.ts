/**
 * The ClickHouse migration runner: applies numbered SQL files in order,
 * records each in `<db>.schema_migrations`, does nothing on a second run, and
 * refuses to run when an applied file has changed since.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { readMigrationFiles, MIGRATIONS_DIR, type MigrationFile } from './migration-files';
import { applyRetention } from './retention';

/** An applied migration file was edited afterwards: the database no longer matches the repo. */
export class MigrationChangedError extends Error {
  readonly code = 'MIGRATION_CHANGED';
  constructor(readonly file: string) {
    super(
      `migration ${file} was changed after it was applied (checksum differs). ` +
        'Applied migrations are immutable: restore the file and put the change in a new numbered migration.',
    );
    this.name = 'MigrationChangedError';
  }
}

export interface MigrateOptions {
  client: ClickHouseClient;
  /** Database to create and migrate; default `gosight`. */
  database?: string;
  dir?: string;
  /** Keep events, sessions and quarantine rows this many days; undefined = keep forever. */
  retentionDays?: number | undefined;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Brings `database` up to the newest migration; idempotent. */
export async function runMigrations(options: MigrateOptions): Promise<MigrateResult> {
  const { client, database = 'gosight', dir = MIGRATIONS_DIR, log = () => {} } = options;
  if (!IDENTIFIER.test(database)) throw new Error(`migrations: invalid database name ${database}`);
  const files = await readMigrationFiles(dir);

  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC')
    ) ENGINE = MergeTree ORDER BY version`,
  });
  const applied = await readApplied(client, database);
  verifyUnchanged(files, applied);

  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const file of files) {
    if (applied.has(file.version)) {
      result.alreadyApplied.push(file.name);
      continue;
    }
    const started = Date.now();
    for (const statement of file.statements) {
      await client.command({ query: statement.replaceAll('{{db}}', database) });
    }
    await client.insert({
      table: `${database}.schema_migrations`,
      format: 'JSONEachRow',
      values: [
        { version: file.version, name: file.name, checksum: file.checksum, applied_at: Date.now() },
      ],
    });
    result.applied.push(file.name);
    log(`migrate: applied ${file.name} (${Date.now() - started} ms)`);
  }
  await applyRetention(client, database, options.retentionDays, log);
  return result;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function readApplied(client: ClickHouseClient, database: string) {
  const rows = await client.query({
    query: `SELECT version, name, checksum FROM ${database}.schema_migrations ORDER BY version`,
    format: 'JSONEachRow',
  });
  const list = await rows.json<AppliedRow>();
  return new Map(list.map((row) => [Number(row.version), row]));
}

function verifyUnchanged(files: MigrationFile[], applied: Map<number, AppliedRow>) {
  for (const file of files) {
    const row = applied.get(file.version);
    if (row && row.checksum !== file.checksum) throw new MigrationChangedError(file.name);
  }
}
