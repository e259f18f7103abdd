import { open, rename } from 'node:fs/promises';

/**
 * Replaces `path` with `text` so that a crash leaves either the old or the new
 * file, never a torn one: write a temp file, fsync it, rename it over `path`.
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
}
