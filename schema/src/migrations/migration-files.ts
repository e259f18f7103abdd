import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../migrations-dir';

export { MIGRATIONS_DIR };

export interface MigrationFile {
  version: number;
  /** File name, e.g. `0001_events.sql`. */
  name: string;
  /** sha256 of the file's bytes, recorded when applied. */
  checksum: string;
  /** The statements, still with the `{{db}}` placeholder. */
  statements: string[];
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Reads `dir`'s migrations in version order; refuses duplicate version numbers. */
export async function readMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => FILE_NAME.test(n)).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    const version = Number(FILE_NAME.exec(name)?.[1]);
    if (files.some((f) => f.version === version)) {
      throw new Error(`migrations: two files have version ${version} (${name})`);
    }
    const checksum = createHash('sha256').update(text).digest('hex');
    files.push({ version, name, checksum, statements: splitStatements(text) });
  }
  return files;
}

/** Splits SQL on semicolons that end a line; drops comment-only chunks. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*$/m)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.replace(/--.*$/gm, '').trim() !== '');
}
