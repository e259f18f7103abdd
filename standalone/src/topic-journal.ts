/**
 * One topic of the in-process bus on disk: an append-only log of segment
 * files `<dir>/<base offset>.log`, one checksummed record per line
 * (journal-line.ts), and the journal's epoch (journal-epoch.ts).
 * - `append` writes and fdatasyncs before it resolves, so what it
 *   acknowledged survives a crash. A write that fails or comes up short is
 *   rolled back (the segment truncated to its size before, and synced) before
 *   the error propagates, so the next append starts on a clean line end.
 * - On open, a torn last record of the newest segment (no line end: a write
 *   cut by a crash, never acknowledged) is cut with one log line. Any other
 *   damage — a bad line anywhere else, a segment cut short, a gap between
 *   segments, an end below a committed offset — stops the start with
 *   BUS_JOURNAL_DAMAGED naming the file and byte, and changes nothing.
 * - Segments wholly below the oldest committed offset are deleted.
 */
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDirectory } from './fsync-directory';
import { journalDamaged } from './journal-damage';
import { openJournalEpoch } from './journal-epoch';
import { decodeJournalLine, encodeJournalLine, type JournalRecord } from './journal-line';

export type { JournalRecord } from './journal-line';

/** A topic's log: append, read back on open, trim below an offset. */
export interface TopicJournal {
  /** Offset the next appended record gets. */
  readonly end: number;
  /** Offset of the oldest record kept on disk. */
  readonly start: number;
  /** Random id of this journal's incarnation; offsets count within it. */
  readonly epoch: string;
  /** Appends and fsyncs; resolves with the stored records (offsets assigned). One at a time. */
  append(records: readonly Omit<JournalRecord, 'offset'>[]): Promise<JournalRecord[]>;
  /** Deletes the segments whose records are all below `offset`. */
  trimBelow(offset: number): Promise<void>;
  close(): Promise<void>;
}

/** What the journal needs of a segment opened for appending (a FileHandle has it). */
export interface SegmentFile {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface TopicJournalOptions {
  dir: string;
  /** Start a new segment once the active one holds this many bytes. */
  segmentBytes?: number;
  log?: (line: string) => void;
  /**
   * An offset the journal must reach: the highest one a consumer group
   * committed (`by` names it for the message). A journal that ends below it
   * has lost acknowledged records; the open then fails before changing anything.
   */
  mustReach?: { offset: number; by: string };
  /** Opens a segment for appending (default: `open(path, 'a')`); tests inject failing writes. */
  openSegment?: (path: string) => Promise<SegmentFile>;
}

const SEGMENT = /^(\d{20})\.log$/;
const NEWLINE = 0x0a;
const segmentName = (base: number) => `${String(base).padStart(20, '0')}.log`;

/** Opens (creating if needed) a topic journal; `onRecord` sees every kept record from `from` on. */
export async function openTopicJournal(
  options: TopicJournalOptions,
  from: number,
  onRecord: (record: JournalRecord) => void,
): Promise<TopicJournal> {
  const { dir } = options;
  const busDir = dirname(dir);
  const segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
  const log = options.log ?? (() => {});
  const openSegment = options.openSegment ?? ((path: string) => open(path, 'a'));
  await mkdir(dir, { recursive: true });
  const bases = (await readdir(dir))
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((m): m is string => m !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

  const epochResult = await openJournalEpoch(dir, bases.length > 0);
  if (epochResult.kind === 'damaged') {
    throw journalDamaged(busDir, epochResult.path, 'it does not hold a journal epoch');
  }
  if (epochResult.kind === 'created' && epochResult.legacy) {
    log(`bus: ${dir} predates journal epochs; it now has epoch ${epochResult.epoch}`);
  }
  const { epoch } = epochResult;

  let end = bases[0] ?? 0;
  /** Where the newest segment's torn last record starts, if it has one. */
  let torn: { path: string; position: number; bytes: number } | undefined;
  for (const [i, base] of bases.entries()) {
    const path = join(dir, segmentName(base));
    if (base !== end) {
      throw journalDamaged(
        busDir,
        `${path}, byte 0`,
        `the segment starts at offset ${base} but the one before it ends at offset ${end}`,
      );
    }
    end = await readSegment(path, base, i === bases.length - 1);
  }
  if (options.mustReach && end < options.mustReach.offset) {
    throw journalDamaged(
      busDir,
      dir,
      `it ends at offset ${end}, below offset ${options.mustReach.offset} committed by ${options.mustReach.by}, so acknowledged records are missing`,
    );
  }
  if (torn) {
    // A torn last write: a crash cut it before it was synced, so it was never acknowledged.
    const handle = await open(torn.path, 'r+');
    try {
      await handle.truncate(torn.position);
      await handle.sync();
    } finally {
      await handle.close();
    }
    log(`bus: cut a torn last record (${torn.bytes} bytes, never acknowledged) off ${torn.path}`);
  }

  /** Reads one segment through (records to `onRecord`); returns the offset after its last record. */
  async function readSegment(path: string, base: number, newest: boolean): Promise<number> {
    const bytes = await readFile(path);
    let offset = base;
    let position = 0;
    while (position < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, position);
      if (newline < 0) {
        const tail = bytes.subarray(position);
        if (!newest) {
          throw journalDamaged(busDir, `${path}, byte ${position}`, 'the segment is cut short');
        }
        if (decodeJournalLine(tail.subarray(0, -1), offset).ok) {
          // A whole record followed by one wrong byte: its line end was damaged, not torn.
          throw journalDamaged(busDir, `${path}, byte ${position}`, 'a record lost its line end');
        }
        torn = { path, position, bytes: tail.length };
        break;
      }
      const line = decodeJournalLine(bytes.subarray(position, newline), offset);
      if (!line.ok) {
        throw journalDamaged(
          busDir,
          `${path}, byte ${position}`,
          `record ${offset}: ${line.reason}`,
        );
      }
      if (offset >= from) onRecord(line.record);
      offset += 1;
      position = newline + 1;
    }
    return offset;
  }

  const segments = bases.length > 0 ? bases : [end];
  let activeBase = segments[segments.length - 1] ?? end;
  let active = await openSegment(join(dir, segmentName(activeBase)));
  if (bases.length === 0) {
    // A new journal: its first segment and its directory must outlive a power cut.
    await fsyncDirectory(dir);
    await fsyncDirectory(busDir);
  }
  let activeBytes = (await active.stat()).size;
  /** Set while a failed append's bytes may still be in the active segment. */
  let rollbackPending = false;
  let appending = false;

  /** Truncates the active segment back to what was acknowledged. */
  async function rollBack() {
    rollbackPending = true;
    await active.truncate(activeBytes);
    await active.sync();
    rollbackPending = false;
  }

  async function writeAll(bytes: Buffer) {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await active.write(bytes, written, bytes.length - written);
      if (bytesWritten <= 0) throw new Error(`short write: ${written} of ${bytes.length} bytes`);
      written += bytesWritten;
    }
    await active.datasync();
  }

  return {
    get end() {
      return end;
    },
    get start() {
      return segments[0] ?? end;
    },
    epoch,
    async append(records) {
      if (appending) throw new Error('topic journal: one append at a time');
      appending = true;
      try {
        if (rollbackPending) await rollBack();
        if (activeBytes >= segmentBytes && end > activeBase) {
          const next = await openSegment(join(dir, segmentName(end)));
          try {
            await fsyncDirectory(dir);
          } catch (error) {
            await next.close();
            throw error;
          }
          await active.close();
          active = next;
          activeBase = end;
          segments.push(activeBase);
          activeBytes = 0;
        }
        const stored = records.map((r, i) => ({ ...r, offset: end + i }));
        const bytes = Buffer.from(stored.map(encodeJournalLine).join(''));
        try {
          await writeAll(bytes);
        } catch (error) {
          await rollBack().catch((rollbackError: unknown) => {
            log(
              `bus: rolling back a failed write to ${dir} failed (retried on the next append): ${String(rollbackError)}`,
            );
          });
          throw error;
        }
        activeBytes += bytes.length;
        end += stored.length;
        return stored;
      } finally {
        appending = false;
      }
    },
    async trimBelow(offset) {
      // Never the active segment; a segment goes when the next one starts at or below `offset`.
      let removed = false;
      while (segments.length > 1 && (segments[1] ?? Infinity) <= offset) {
        const base = segments.shift() as number;
        await rm(join(dir, segmentName(base)), { force: true });
        removed = true;
      }
      if (removed) await fsyncDirectory(dir);
    },
    async close() {
      await active.close();
    },
  };
}
