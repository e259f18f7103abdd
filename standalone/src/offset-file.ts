/**
 * The committed offsets of the in-process bus's consumer groups, in one JSON
 * file written atomically (temp file, fsync, rename), so a crash leaves the
 * old or the new offsets, never a torn file.
 */
import { open, readFile, rename } from 'node:fs/promises';

/** topic → group → next offset to read. */
export type Offsets = Record<string, Record<string, number>>;

/** Reads the offsets file; an absent file is no offsets. */
export async function readOffsets(path: string): Promise<Offsets> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Offsets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** Writes the offsets durably; concurrent calls are applied in call order. */
export function createOffsetWriter(path: string): (offsets: Offsets) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (offsets) => {
    const text = JSON.stringify(offsets);
    chain = chain.then(async () => {
      const temp = `${path}.tmp`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    });
    return chain;
  };
}
