import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../contract/limits';
import { readMigrationFiles, splitStatements } from './migration-files';
import { wireEvent } from '../contract/wire';

describe('migration files', () => {
  it('reads the repo migrations in version order with checksums', async () => {
    const files = await readMigrationFiles();
    expect(files.map((f) => f.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.checksum))).toBe(true);
    // 0004 holds the aggregate table and its materialized view.
    expect(files[3]?.statements).toHaveLength(2);
    // 0005: the table, its materialized view and the reading view.
    expect(files[4]?.statements).toHaveLength(3);
    // 0007: user_profiles and the events' segment column.
    expect(files[6]?.statements).toHaveLength(2);
  });

  it('splits on semicolons that end a line, not inside strings or comments', () => {
    const sql = "-- a comment; still comment\nSELECT ';' AS x;\n\nSELECT 2;\n-- trailing\n";
    expect(splitStatements(sql)).toEqual([
      "-- a comment; still comment\nSELECT ';' AS x",
      'SELECT 2',
    ]);
  });

  it('refuses two files with one version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gosight-mig-'));
    await writeFile(join(dir, '0001_a.sql'), 'SELECT 1;');
    await writeFile(join(dir, '0001_b.sql'), 'SELECT 2;');
    await expect(readMigrationFiles(dir)).rejects.toThrow(/two files have version 1/);
  });
});

describe('event types', () => {
  it('the wire union covers exactly EVENT_TYPES', () => {
    const types = wireEvent.options.map((o) => o.shape.type.value);
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });
});
