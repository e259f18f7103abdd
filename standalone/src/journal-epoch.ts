/**
 * The epoch of a topic journal: a random id created with the journal (when
 * its directory holds no segment yet) and kept next to the segments in
 * `<dir>/epoch`. Offsets count within one epoch; the processor's dedup token
 * includes it, so a journal created again (data/bus removed while ClickHouse
 * keeps its rows) never repeats an earlier insert's token (issue 13, §2).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from './write-file-durably';

const EPOCH = /^[0-9a-f]{32}$/;

/** What reading the epoch found. */
export type EpochResult =
  | { kind: 'read'; epoch: string }
  /** New epoch: a new journal, or one written before epochs existed (`legacy`). */
  | { kind: 'created'; epoch: string; legacy: boolean }
  /** The file is there but does not hold an epoch. */
  | { kind: 'damaged'; path: string };

/** Reads the journal's epoch; creates (durably) a new one for a journal without segments or without an epoch file. */
export async function openJournalEpoch(dir: string, hasSegments: boolean): Promise<EpochResult> {
  const path = join(dir, 'epoch');
  let legacy = false;
  if (hasSegments) {
    try {
      const epoch = (await readFile(path, 'utf8')).trim();
      return EPOCH.test(epoch) ? { kind: 'read', epoch } : { kind: 'damaged', path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      legacy = true;
    }
  }
  const epoch = randomBytes(16).toString('hex');
  await writeFileDurably(path, `${epoch}\n`);
  return { kind: 'created', epoch, legacy };
}
