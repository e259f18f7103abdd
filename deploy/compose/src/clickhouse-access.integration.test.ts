/**
 * The users file, applied on the real ClickHouse engine with access control:
 * each user's profile and grants from clickhouse/users.d/gosight-users.xml are
 * loaded into a private chdb instance (its own data directory, its own
 * processes — the shared local endpoint is not touched), and the statements a
 * user would try are run as that user.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readMigrationFiles } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUsersFile, usersXmlAs } from './clickhouse-users-file';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./testing/run-as-user.ts', import.meta.url));

interface Outcome {
  sql: string;
  ok: boolean;
  output?: string;
  error?: string;
}

let dir: string;

/** Runs `statements` as `user` (from the users file) in a fresh process on the shared test data dir. */
async function runAs(user: string, statements: string[]): Promise<Outcome[]> {
  const usersFile = join(dir, `${user}.xml`);
  const configFile = join(dir, `${user}-config.xml`);
  await writeFile(usersFile, usersXmlAs(readUsersFile(), user));
  await writeFile(
    configFile,
    `<clickhouse><user_directories><users_xml><path>${usersFile}</path></users_xml></user_directories></clickhouse>`,
  );
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', RUNNER, join(dir, 'data'), configFile, JSON.stringify(statements)],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Outcome);
}

const insertEvent = (id: string) =>
  `INSERT INTO gosight.events (event_id, project_id, type, ts, client_ts, sent_at, received_at, session_id, path)
   VALUES ('${id}', 'demo', 'page_view', now64(3), now64(3), now64(3), now64(3), 's1', '/pricing')`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gosight-ch-access-'));
  const migrations = (await readMigrationFiles()).flatMap((f) =>
    f.statements.map((s) => s.replaceAll('{{db}}', 'gosight')),
  );
  const setup = await runAs('gosight_admin', ['CREATE DATABASE gosight', ...migrations]);
  expect(setup.filter((o) => !o.ok)).toEqual([]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ClickHouse users from users.d/gosight-users.xml on the engine', () => {
  it('the writer inserts into every gosight table (the materialized view follows) and can do nothing else', async () => {
    const [
      events,
      sessions,
      quarantine,
      readQuarantine,
      readEvents,
      create,
      drop,
      other,
      profile,
      readProfiles,
    ] = await runAs('gosight_writer', [
      insertEvent('00000000-0000-4000-8000-000000000001'),
      "INSERT INTO gosight.sessions (project_id, session_id, version) VALUES ('demo', 's1', 1)",
      "INSERT INTO gosight.events_quarantine (received_at, project_id, source, step, reason, raw) VALUES (now64(3), 'demo', 'processor', 'decode', 'bad json', '{')",
      'SELECT count() FROM gosight.events_quarantine',
      // Visitor data the view does not read stays out of reach.
      'SELECT ip, user_agent, url FROM gosight.events',
      'CREATE TABLE gosight.scratch (x UInt8) ENGINE = Memory',
      'DROP TABLE gosight.events',
      'SELECT count() FROM system.one',
      // The segment cache reads user_profiles; `gosight profiles import` writes it.
      "INSERT INTO gosight.user_profiles (project_id, user_id, source, segment, traits, updated_at) VALUES ('demo', 'u1', 'server', 'gold', '{}', now64(3))",
      "SELECT segment FROM gosight.user_profiles WHERE source = 'server'",
    ]);
    expect(events?.ok, events?.error).toBe(true);
    expect(sessions?.ok, sessions?.error).toBe(true);
    expect(quarantine?.ok, quarantine?.error).toBe(true);
    expect(readQuarantine).toMatchObject({ ok: true, output: '1' });
    expect(readEvents?.ok).toBe(false);
    expect(readEvents?.error).toMatch(/ACCESS_DENIED/);
    expect(create?.error).toMatch(/ACCESS_DENIED/);
    expect(drop?.error).toMatch(/ACCESS_DENIED/);
    expect(other?.ok).toBe(true);
    expect(profile?.ok, profile?.error).toBe(true);
    expect(readProfiles).toMatchObject({ ok: true, output: 'gold' });
  });

  it('the analyst reads every table but is refused an INSERT, DDL and raising its limits', async () => {
    const [count, minuteStats, insert, create, settings, raise, raiseMemory, after] = await runAs(
      'gosight_analyst',
      [
        'SELECT count() FROM gosight.events FINAL',
        "SELECT uniqExactMerge(page_views) FROM gosight.page_stats_1m WHERE path = '/pricing'",
        insertEvent('00000000-0000-4000-8000-000000000002'),
        'CREATE TABLE gosight.scratch (x UInt8) ENGINE = Memory',
        "SELECT getSetting('readonly'), getSetting('max_execution_time'), getSetting('max_memory_usage')",
        'SET max_execution_time = 3600',
        'SET max_memory_usage = 100000000000',
        'SELECT count() FROM gosight.events',
      ],
    );
    expect(count).toMatchObject({ ok: true, output: '1' });
    // The writer's insert reached the aggregate through the materialized view.
    expect(minuteStats).toMatchObject({ ok: true, output: '1' });
    expect(insert?.ok).toBe(false);
    expect(insert?.error).toMatch(/READONLY|ACCESS_DENIED|readonly/);
    expect(create?.ok).toBe(false);
    expect(settings).toMatchObject({ ok: true, output: '2\t60\t4000000000' });
    expect(raise?.ok).toBe(false);
    expect(raise?.error).toMatch(/SETTING_CONSTRAINT_VIOLATION|should not be greater/);
    expect(raiseMemory?.ok).toBe(false);
    // The refused INSERT left nothing behind.
    expect(after).toMatchObject({ ok: true, output: '1' });
  });
});
