import { open, type FileHandle } from 'node:fs/promises';

/** The errors of platforms that cannot open or fsync a directory (Windows: EISDIR; some file systems: EINVAL). */
const UNSUPPORTED = new Set(['EISDIR', 'EINVAL']);

/**
 * Makes the entries of directory `dir` durable (a file just created, renamed
 * or removed in it): open the directory read-only and fsync it. Where the
 * platform cannot do that (EISDIR, EINVAL) that one failure is ignored; every
 * other error propagates.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
