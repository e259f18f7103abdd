/**
 * The committed offsets of the in-process bus's consumer groups, in one JSON
 * file written atomically (temp file, fsync, rename), so a crash leaves the
 * old or the new offsets, never a torn file. The writer keeps the file at the
 * latest offsets in the background and retries on its own (retrying-write.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRetryingWrite, type RetryingWrite, type WriteHealth } from './retrying-write';
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

export interface OffsetWriterOptions {
  path: string;
  /** The offsets as they are now (read at each attempt: the latest always wins). */
  current: () => Offsets;
  /** Runs after each successful write with the offsets written (the bus trims its journals). */
  written?: (offsets: Offsets) => Promise<void>;
  /** Wait before retrying a failed write (default 1 s). */
  retryMs?: number;
  log: (line: string) => void;
  health?: WriteHealth;
}

/** Writes the offsets file durably whenever asked, retrying a failed write until it works. */
export function createOffsetWriter(options: OffsetWriterOptions): RetryingWrite {
  return createRetryingWrite({
    file: 'offsets',
    path: options.path,
    retryMs: options.retryMs ?? 1000,
    log: options.log,
    ...(options.health ? { health: options.health } : {}),
    async write() {
      const text = JSON.stringify(options.current());
      await writeFileDurably(options.path, text);
      await options.written?.(JSON.parse(text) as Offsets);
    },
  });
}
