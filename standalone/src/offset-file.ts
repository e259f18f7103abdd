/**
 * The committed offsets of the in-process bus's consumer groups, in one JSON
 * file written atomically (temp file, fsync, rename), so a crash leaves the
 * old or the new offsets, never a torn file.
 */
import { readFile } from 'node:fs/promises';
import { writeFileDurably } from './write-file-durably';

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
      await writeFileDurably(path, text);
    });
    return chain;
  };
}
