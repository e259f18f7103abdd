/**
 * The data directory (GOSIGHT_DATA_DIR) must be writable before anything is
 * started on it; when it is not (read-only mount, wrong owner, a file in the
 * way, disk full), the start stops with DATA_DIR_UNWRITABLE and one line
 * naming the directory and the variable, not a stack trace (issue 13, §6).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StartError } from './errors';

/** File-system errors that mean "this directory cannot be written", not a bug. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EDQUOT']);

/** Creates `dir` if needed and proves it writable (a probe file created, synced, removed). */
export async function ensureWritableDataDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile('probe');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rm(probe);
  } catch (error) {
    throw dataDirError(error, dir);
  }
}

/** DATA_DIR_UNWRITABLE for a file-system error that means the data directory cannot be written; `error` itself otherwise. */
export function dataDirError(error: unknown, dir: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (!UNWRITABLE.has(errno.code ?? '')) return error;
  return new StartError(
    'DATA_DIR_UNWRITABLE',
    `gosight: cannot write to the data directory GOSIGHT_DATA_DIR=${dir} ` +
      `(${errno.code ?? ''} on ${errno.path ?? dir}); make it writable by this user, ` +
      'or set GOSIGHT_DATA_DIR to a directory that is',
    { cause: error },
  );
}
