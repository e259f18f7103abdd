/**
 * What a power cut could undo cannot be observed in a test, so this checks the
 * order of the file-system calls that makes the write durable: the temp file
 * is fsynced before the rename, and the directory is fsynced after it.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const path = String(args[0]);
      const sync = handle.sync.bind(handle);
      handle.sync = () => {
        calls.push(`sync ${path}`);
        return sync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      calls.push(`rename ${from}`);
      await fs.rename(from, to);
    },
  };
});

const { writeFileDurably } = await import('./write-file-durably');

describe('writeFileDurably', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('replaces the file, fsyncing the temp file before the rename and the directory after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-durable-'));
    const path = join(dir, 'offsets.json');
    await writeFileDurably(path, 'old');
    calls.length = 0;
    await writeFileDurably(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['offsets.json']);
    expect(calls).toEqual([`sync ${path}.tmp`, `rename ${path}.tmp`, `sync ${dir}`]);
  });
});
