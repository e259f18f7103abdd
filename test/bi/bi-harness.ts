/**
 * Runs `npm run bi` (deploy/local/src/bi/cli.ts) for a test: its own data
 * directory, a free port, and a fresh gosight database seeded with known data.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { runMigrations } from '../../schema/src/migrations/migrate';
import { serviceEnv, uniqueSuffix } from '../services';
import { buildSeed, writeSeed, type Seed } from './seed';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A seeded database and the environment `npm run bi` reads for it. */
export interface BiFixture {
  database: string;
  seed: Seed;
  /** the options that point `npm run bi` at this fixture */
  args: string[];
  dataDir: string;
  baseUrl: string;
  dropDatabase: () => Promise<void>;
}

/** Migrates a fresh database, writes the seed and picks a data directory and port. */
export async function prepareBi(prefix: string): Promise<BiFixture> {
  const suffix = uniqueSuffix();
  const database = `gosight_bi_${suffix}`;
  const { clickhouseUrl, clickhouseAuth } = serviceEnv();
  const client = createClient({ url: clickhouseUrl, ...clickhouseAuth });
  const seed = buildSeed(`pk_bi_${suffix}`);
  try {
    await runMigrations({ client, database });
    await writeSeed(client, database, seed);
  } finally {
    await client.close();
  }
  const port = await freePort();
  // BI_DATA_ROOT (set by scripts/test.mjs): the run's own directory, where its check finds any
  // Superset left running once the step ended.
  const dataDir = mkdtempSync(path.join(process.env.BI_DATA_ROOT || tmpdir(), `${prefix}-`));
  const args = [
    '--data-dir',
    dataDir,
    '--port',
    String(port),
    '--clickhouse-url',
    clickhouseUrl,
    '--database',
    database,
  ];
  return {
    database,
    seed,
    args,
    dataDir,
    baseUrl: `http://127.0.0.1:${port}`,
    dropDatabase: () => dropDatabase(database),
  };
}

async function dropDatabase(database: string): Promise<void> {
  const { clickhouseUrl, clickhouseAuth } = serviceEnv();
  const c = createClient({ url: clickhouseUrl, ...clickhouseAuth });
  try {
    await c.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  } finally {
    await c.close();
  }
}

/**
 * A Superset that one bi suite set up and left running for the next: `npm test -- bi` runs the
 * REST test first and the browser test second on the same seeded setup, so the step pays for
 * one Superset setup, not two. The file is named by BI_HANDOFF_FILE (set by scripts/test.mjs);
 * without it each suite sets up and stops its own.
 */
export interface BiHandoff {
  args: string[];
  dataDir: string;
  baseUrl: string;
  database: string;
}

/** Leaves the running Superset to the next suite; false when no handoff is asked for. */
export function handOff(fx: BiFixture): boolean {
  const file = process.env.BI_HANDOFF_FILE;
  if (!file) return false;
  const handoff: BiHandoff = {
    args: fx.args,
    dataDir: fx.dataDir,
    baseUrl: fx.baseUrl,
    database: fx.database,
  };
  writeFileSync(file, JSON.stringify(handoff), { mode: 0o600 });
  return true;
}

/** Takes over the Superset the previous suite left running, if any (the file is removed). */
export function takeOver(): BiHandoff | undefined {
  const file = process.env.BI_HANDOFF_FILE;
  if (!file || !existsSync(file)) return undefined;
  const handoff = JSON.parse(readFileSync(file, 'utf8')) as BiHandoff;
  rmSync(file, { force: true });
  return handoff;
}

/** Stops a Superset set up for a test and removes its data directory and database. */
export async function tearDown(handoff: BiHandoff): Promise<void> {
  const stop = await runBiCli(['stop', ...handoff.args]);
  try {
    await dropDatabase(handoff.database);
  } finally {
    // Kept when Superset could not be stopped: its pid file is what `npm run bi -- stop` reads.
    if (stop.code === 0) rmSync(handoff.dataDir, { recursive: true, force: true });
  }
  if (stop.code !== 0) {
    throw new Error(`npm run bi -- stop failed (exit ${stop.code}):\n${stop.output}`);
  }
}

/** Runs `npm run bi -- <args>`; resolves with its exit code and output. */
export function runBiCli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'deploy/local/src/bi/cli.ts'), ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
