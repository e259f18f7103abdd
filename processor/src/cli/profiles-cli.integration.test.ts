/**
 * `gosight profiles import` as a user runs it: the bin against the local
 * ClickHouse engine, exit codes, the per-line report, the rows stored.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../testing/harness';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/gosight.mjs', import.meta.url));
let env: TestEnv;
let dir: string;

async function gosight(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        CLICKHOUSE_URL: env.clickhouseUrl,
        CLICKHOUSE_USER: env.clickhouseAuth.username,
        CLICKHOUSE_PASSWORD: env.clickhouseAuth.password,
        CLICKHOUSE_DATABASE: env.settings.database,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  env = await createTestEnv('profiles-cli', 1);
  dir = await mkdtemp(join(tmpdir(), 'gosight-profiles-cli-'));
});
afterAll(async () => {
  await env?.cleanup();
});

describe('gosight profiles import', () => {
  it('stores a clean file and exits 0; reports bad lines and exits 1; refuses bad flags with 2', async () => {
    const good = join(dir, 'good.jsonl');
    await writeFile(
      good,
      `${JSON.stringify({ user_id: 'a', segment: 'gold', traits: { plan: 'pro' } })}\n\n` +
        `${JSON.stringify({ user_id: 'b', updated_at: '2026-12-01T00:00:00Z' })}\n`,
    );
    const ok = await gosight(['profiles', 'import', good, '--project', 'pk_cli']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(
      `profiles import: ${good}: 2 records, 2 stored into user_profiles`,
    );
    expect(ok.stderr).toContain('profiles import: 2 records read, 2 stored, 0 bad (line 3)');

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'user_id,segment\nc,silver\nd,\n,gold\ne,"x\n');
    const partial = await gosight(['profiles', 'import', bad, '--project', 'pk_cli']);
    expect(partial.code).toBe(1);
    expect(partial.stderr.split('\n').filter((l) => l.startsWith('line '))).toEqual([
      'line 4: user_id: Too small: expected string to have >=1 characters (too_small)',
      'line 5: a quoted field is not closed before the end of the file',
    ]);
    const rows = await env.query<{ user_id: string; segment: string; traits: string }>(
      'SELECT user_id, segment, traits FROM {db}.user_profiles FINAL ORDER BY user_id',
    );
    expect(rows).toEqual([
      { user_id: 'a', segment: 'gold', traits: '{"plan":"pro"}' },
      { user_id: 'b', segment: 'unknown', traits: '{}' },
      { user_id: 'c', segment: 'silver', traits: '{}' },
      { user_id: 'd', segment: 'unknown', traits: '{}' },
    ]);

    const noProject = await gosight(['profiles', 'import', good]);
    expect([noProject.code, noProject.stderr]).toEqual([
      2,
      expect.stringContaining('--project KEY is required'),
    ]);
    const unknownFormat = await gosight(['profiles', 'import', 'x.txt', '--project', 'p']);
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toContain('cannot tell the format of x.txt');
    const missing = await gosight(['profiles', 'import', join(dir, 'none.csv'), '--project', 'p']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
    const noHeader = join(dir, 'noheader.csv');
    await writeFile(noHeader, 'id,segment\n1,x\n');
    const header = await gosight(['profiles', 'import', noHeader, '--project', 'p']);
    expect([header.code, header.stderr.trim()]).toEqual([
      2,
      'gosight: line 1: the CSV header has no user_id column (id,segment)',
    ]);
  }, 120_000);
});
