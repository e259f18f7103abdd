/**
 * One topic of the in-process bus on disk: an append-only log of segment
 * files `<dir>/<base offset>.log`, one JSON record per line. `append` writes
 * and fdatasyncs before it resolves, so what it acknowledged survives a
 * crash; a torn last line (a write cut by SIGKILL, never acknowledged) is cut
 * off on open. Segments wholly below the oldest committed offset are deleted.
 */
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** One record as stored. */
export interface JournalRecord {
  offset: number;
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
  /** Append time, epoch ms. */
  timestamp: number;
}

/** A topic's log: append, read back on open, trim below an offset. */
export interface TopicJournal {
  /** Offset the next appended record gets. */
  readonly end: number;
  /** Offset of the oldest record kept on disk. */
  readonly start: number;
  /** Appends and fsyncs; resolves with the stored records (offsets assigned). */
  append(records: readonly Omit<JournalRecord, 'offset'>[]): Promise<JournalRecord[]>;
  /** Deletes the segments whose records are all below `offset`. */
  trimBelow(offset: number): Promise<void>;
  close(): Promise<void>;
}

export interface TopicJournalOptions {
  dir: string;
  /** Start a new segment once the active one holds this many bytes. */
  segmentBytes?: number;
}

const SEGMENT = /^(\d{20})\.log$/;
const segmentName = (base: number) => `${String(base).padStart(20, '0')}.log`;

/** Opens (creating if needed) a topic journal; `onRecord` sees every kept record from `from` on. */
export async function openTopicJournal(
  options: TopicJournalOptions,
  from: number,
  onRecord: (record: JournalRecord) => void,
): Promise<TopicJournal> {
  const segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
  await mkdir(options.dir, { recursive: true });
  const bases = (await readdir(options.dir))
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((m): m is string => m !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

  let end = bases[0] ?? 0;
  for (const base of bases) {
    const path = join(options.dir, segmentName(base));
    const text = await readFile(path, 'utf8');
    let offset = base;
    let goodBytes = 0;
    let position = 0;
    for (;;) {
      const newline = text.indexOf('\n', position);
      if (newline < 0) break;
      const line = text.slice(position, newline);
      let parsed: Omit<JournalRecord, 'offset'>;
      try {
        parsed = JSON.parse(line) as Omit<JournalRecord, 'offset'>;
      } catch {
        break; // a torn write: never acknowledged, cut below
      }
      if (offset >= from) onRecord({ ...parsed, offset });
      offset += 1;
      position = newline + 1;
      goodBytes += Buffer.byteLength(line) + 1;
    }
    if (position < text.length) {
      const handle = await open(path, 'r+');
      await handle.truncate(goodBytes);
      await handle.sync();
      await handle.close();
    }
    end = offset;
  }

  const segments = bases.length > 0 ? bases : [end];
  let activeBase = segments[segments.length - 1] ?? end;
  let active: FileHandle = await open(join(options.dir, segmentName(activeBase)), 'a');
  let activeBytes = (await active.stat()).size;

  return {
    get end() {
      return end;
    },
    get start() {
      return segments[0] ?? end;
    },
    async append(records) {
      if (activeBytes >= segmentBytes) {
        await active.close();
        activeBase = end;
        segments.push(activeBase);
        active = await open(join(options.dir, segmentName(activeBase)), 'a');
        activeBytes = 0;
      }
      const stored = records.map((r, i) => ({ ...r, offset: end + i }));
      const text = stored
        .map(({ key, value, headers, timestamp }) =>
          JSON.stringify({ key, value, headers, timestamp }),
        )
        .join('\n');
      const bytes = Buffer.from(`${text}\n`);
      await active.write(bytes);
      await active.datasync();
      activeBytes += bytes.length;
      end += stored.length;
      return stored;
    },
    async trimBelow(offset) {
      // Never the active segment; a segment goes when the next one starts at or below `offset`.
      while (segments.length > 1 && (segments[1] ?? Infinity) <= offset) {
        const base = segments.shift() as number;
        await rm(join(options.dir, segmentName(base)), { force: true });
      }
    },
    async close() {
      await active.close();
    },
  };
}
