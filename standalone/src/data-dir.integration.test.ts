/**
 * `npm start` on a data directory it cannot write ends with the documented one
 * line and exit code 6, not a stack trace. Tests run as root, where a
 * read-only mode bit does not stop writes, so the data directory here sits
 * under a regular file (`<file>/data`), which nobody can create.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnStandalone } from './testing/spawn-standalone';

describe('npm start on an unwritable data directory', { timeout: 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'gosight-readonly-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('exits 6 with one line naming GOSIGHT_DATA_DIR', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const dataDir = join(file, 'data');
    const run = spawnStandalone({ GOSIGHT_DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await run.exited).toBe(6);
    const lines = run.output().trim().split('\n');
    expect(lines).toEqual([
      `gosight: cannot write to the data directory GOSIGHT_DATA_DIR=${dataDir} (ENOTDIR on ${dataDir}); ` +
        'make it writable by this user, or set GOSIGHT_DATA_DIR to a directory that is',
    ]);
  });
});
