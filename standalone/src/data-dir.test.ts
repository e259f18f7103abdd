/**
 * Tests run as root, where a read-only mode bit does not stop writes; a data
 * directory under a regular file (`<file>/data`) cannot be created by anyone,
 * which is what these use to stand for "not writable".
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWritableDataDir } from './data-dir';

describe('ensureWritableDataDir', () => {
  it('creates a missing data directory and leaves no probe behind', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gosight-data-')), 'data');
    await ensureWritableDataDir(dir);
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a data directory that cannot be written with DATA_DIR_UNWRITABLE, exit 6, one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gosight-data-')), 'a-file');
    writeFileSync(file, '');
    const dir = join(file, 'data');
    const error = await ensureWritableDataDir(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_DIR_UNWRITABLE', exitCode: 6 });
    expect((error as Error).message).toBe(
      `gosight: cannot write to the data directory GOSIGHT_DATA_DIR=${dir} (ENOTDIR on ${dir}); ` +
        'make it writable by this user, or set GOSIGHT_DATA_DIR to a directory that is',
    );
  });
});
