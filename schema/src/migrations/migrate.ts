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
  /**
   * Cluster mode: run every DDL statement `ON CLUSTER <name>` and use the
   * Replicated* variant of each MergeTree engine (deploy/README.md, "ClickHouse
   * cluster mode"). Undefined = one server.
   */
  onCluster?: string | undefined;
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
  const { onCluster } = options;
  if (onCluster !== undefined && !IDENTIFIER.test(onCluster)) {
    throw new Error(`migrations: invalid cluster name ${onCluster}`);
  }
  const ddl = (sql: string) => (onCluster === undefined ? sql : forCluster(sql, onCluster));
  const files = await readMigrationFiles(dir);

  await client.command({ query: ddl(`CREATE DATABASE IF NOT EXISTS ${database}`) });
  await client.command({
    query: ddl(`CREATE TABLE IF NOT EXISTS ${database}.schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC')
    ) ENGINE = MergeTree ORDER BY version`),
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
      await client.command({ query: ddl(statement.replaceAll('{{db}}', database)) });
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

const CREATE_HEAD =
  /^(\s*(?:--[^\n]*\n\s*)*CREATE\s+(?:DATABASE|TABLE|MATERIALIZED\s+VIEW|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?[A-Za-z0-9_.{}]+)/i;
const ALTER_HEAD = /^(\s*(?:--[^\n]*\n\s*)*ALTER\s+TABLE\s+[A-Za-z0-9_.{}]+)/i;
const MERGE_TREE_ENGINE =
  /(\bENGINE\s*=\s*)((?:Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing)?MergeTree)\b/g;

/**
 * Rewrites one CREATE or ALTER TABLE statement for a cluster: `ON CLUSTER
 * <cluster>` after the object name, and `ReplicatedXMergeTree` for
 * `XMergeTree` (the server's default_replica_path / default_replica_name fill
 * in the ZooKeeper path and replica). Other statements pass through unchanged.
 */
export function forCluster(statement: string, cluster: string): string {
  const alter = ALTER_HEAD.exec(statement);
  if (alter?.[1]) return `${alter[1]} ON CLUSTER ${cluster}${statement.slice(alter[1].length)}`;
  const head = CREATE_HEAD.exec(statement);
  if (!head?.[1]) return statement;
  const named = `${head[1]} ON CLUSTER ${cluster}${statement.slice(head[1].length)}`;
  return named.replace(
    MERGE_TREE_ENGINE,
    (_m, prefix: string, engine: string) => `${prefix}Replicated${engine}`,
  );
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
