import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory } from './fsync-directory';

/**
 * Replaces `path` with `text` so that a crash leaves either the old or the new
 * file, never a torn one: write a temp file, fsync it, rename it over `path`,
 * fsync the directory (without that, a power cut can undo the rename).
 */
export async function writeFileDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}
