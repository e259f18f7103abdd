import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StartError } from './errors';
import { openTopicJournal, type JournalRecord, type SegmentFile } from './topic-journal';

const record = (n: number) => ({
  key: `s${n % 7}`,
  value: `{"n":${n}}`,
  headers: {},
  timestamp: n,
});

/** A fresh journal directory inside a bus directory, as the bus lays it out. */
const journalDir = () => join(mkdtempSync(join(tmpdir(), 'gosight-journal-')), 'raw');

/** Opens the journal and returns it with every record it read back and its log lines. */
async function reopen(dir: string, options: { segmentBytes?: number } = {}) {
  const seen: JournalRecord[] = [];
  const logs: string[] = [];
  const journal = await openTopicJournal({ dir, log: (l) => logs.push(l), ...options }, 0, (r) =>
    seen.push(r),
  );
  return { journal, seen, logs, values: () => seen.map((r) => r.value) };
}

/** Appends `count` records numbered from `from`, in batches of 10. */
async function fill(
  journal: Awaited<ReturnType<typeof reopen>>['journal'],
  from: number,
  count: number,
) {
  for (let n = from; n < from + count; n += 10) {
    await journal.append(
      Array.from({ length: Math.min(10, from + count - n) }, (_, i) => record(n + i)),
    );
  }
}

const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));

/** Byte position where line `index` (0-based) of `file` starts. */
function lineStart(file: string, index: number): number {
  const bytes = readFileSync(file);
  let position = 0;
  for (let i = 0; i < index; i++) position = bytes.indexOf(0x0a, position) + 1;
  return position;
}

const values = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `{"n":${from + i}}`);

describe('topic journal: damage found on open', () => {
  it('cuts a torn tail (last 10 bytes gone) with one log line, and later appends read back', async () => {
    const dir = journalDir();
    const first = await reopen(dir);
    await fill(first.journal, 0, 30);
    await first.journal.close();
    const [segment = ''] = segments(dir);
    const size = statSync(segment).size;
    truncateSync(segment, size - 10);
    const torn = size - lineStart(segment, 29) - 10;

    const second = await reopen(dir);
    expect(second.logs).toEqual([
      `bus: cut a torn last record (${torn} bytes, never acknowledged) off ${segment}`,
    ]);
    expect(second.values()).toEqual(values(0, 29));
    expect(second.journal.end).toBe(29);
    await fill(second.journal, 100, 5);
    await second.journal.close();

    const third = await reopen(dir);
    expect(third.logs).toEqual([]);
    expect(third.values()).toEqual([...values(0, 29), ...values(100, 105)]);
    expect(third.seen.map((r) => r.offset)).toEqual(Array.from({ length: 34 }, (_, i) => i));
    await third.journal.close();
  });

  it('refuses to start on one flipped byte in line 1001 of 2417, naming file and byte, changing nothing', async () => {
    const dir = journalDir();
    const first = await reopen(dir);
    await fill(first.journal, 0, 2417);
    await first.journal.close();
    const [segment = ''] = segments(dir);
    const start = lineStart(segment, 1000);
    const bytes = readFileSync(segment);
    const flip = start + 20; // inside the JSON: still parses after the flip
    bytes[flip] = (bytes[flip] ?? 0) ^ 0x01;
    writeFileSync(segment, bytes);

    const error = (await reopen(dir).catch((e: unknown) => e)) as StartError;
    expect(error.code).toBe('BUS_JOURNAL_DAMAGED');
    expect(error.exitCode).toBe(7);
    expect(error.message).toContain(`${segment}, byte ${start}: record 1000: checksum mismatch`);
    expect(error.message).toContain('nothing was changed');
    expect(error.message).not.toContain('\n');
    expect(readFileSync(segment).equals(bytes)).toBe(true);
  });

  it('refuses a bad line in an older segment, a segment cut short, and a missing segment', async () => {
    const make = async () => {
      const dir = journalDir();
      const first = await reopen(dir, { segmentBytes: 400 });
      await fill(first.journal, 0, 60);
      await first.journal.close();
      expect(segments(dir).length).toBeGreaterThan(3);
      return { dir, files: segments(dir) };
    };
    const refusal = async (dir: string) =>
      ((await reopen(dir, { segmentBytes: 400 }).catch((e: unknown) => e)) as StartError).message;

    const bad = await make();
    const older = bad.files[0] ?? '';
    writeFileSync(older, readFileSync(older, 'utf8').replace('"key"', '"kez"'));
    expect(await refusal(bad.dir)).toContain(`${older}, byte 0: record 0: checksum mismatch`);

    const short = await make();
    const cut = short.files[1] ?? '';
    truncateSync(cut, statSync(cut).size - 3);
    expect(await refusal(short.dir)).toMatch(/, byte \d+: the segment is cut short/);

    const gap = await make();
    const [, missing = '', after = ''] = gap.files;
    writeFileSync(missing, ''); // emptied: the next segment no longer follows on
    expect(await refusal(gap.dir)).toContain(`${after}, byte 0: the segment starts at offset`);
  });

  it('refuses a last record whose line end was damaged (not a torn write)', async () => {
    const dir = journalDir();
    const first = await reopen(dir);
    await fill(first.journal, 0, 5);
    await first.journal.close();
    const [segment = ''] = segments(dir);
    const bytes = readFileSync(segment);
    bytes[bytes.length - 1] = 0x0b;
    writeFileSync(segment, bytes);
    const error = (await reopen(dir).catch((e: unknown) => e)) as StartError;
    expect(error.message).toContain('a record lost its line end');
  });

  it('reads lines written before checksums', async () => {
    const dir = journalDir();
    const first = await reopen(dir);
    await first.journal.close();
    const [segment = ''] = segments(dir);
    const legacy = [0, 1, 2].map((n) => JSON.stringify({ ...record(n), offset: undefined }));
    writeFileSync(segment, `${legacy.join('\n')}\n`);
    const second = await reopen(dir);
    await fill(second.journal, 3, 2);
    await second.journal.close();
    expect((await reopen(dir)).values()).toEqual(values(0, 5));
  });
});

describe('topic journal: a failed append', () => {
  /** A segment whose next write writes half its bytes and then fails with ENOSPC, or whose truncate fails once. */
  function faultySegments() {
    const faults = { shortWrite: false, failTruncate: false };
    const openSegment = async (path: string): Promise<SegmentFile> => {
      const handle = await open(path, 'a');
      let enospc = false;
      return {
        async write(buffer, offset, length) {
          if (enospc) {
            enospc = false;
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
            });
          }
          if (faults.shortWrite) {
            faults.shortWrite = false;
            enospc = true;
            return handle.write(buffer, offset, Math.floor(length / 2));
          }
          return handle.write(buffer, offset, length);
        },
        async truncate(length) {
          if (faults.failTruncate) {
            faults.failTruncate = false;
            throw new Error('EIO: i/o error, ftruncate');
          }
          await handle.truncate(length);
        },
        datasync: () => handle.datasync(),
        sync: () => handle.sync(),
        stat: () => handle.stat(),
        close: () => handle.close(),
      };
    };
    return { faults, openSegment };
  }

  it('rolls a short write back before rejecting; later appends and a reopen read back exactly what was acknowledged', async () => {
    const dir = journalDir();
    const { faults, openSegment } = faultySegments();
    const logs: string[] = [];
    const journal = await openTopicJournal(
      { dir, openSegment, log: (l) => logs.push(l) },
      0,
      () => {},
    );
    await fill(journal, 0, 20);
    const [segment = ''] = segments(dir);
    const acknowledged = statSync(segment).size;

    faults.shortWrite = true;
    await expect(journal.append([record(20), record(21), record(22)])).rejects.toThrow(/ENOSPC/);
    expect(statSync(segment).size).toBe(acknowledged);
    expect(journal.end).toBe(20);

    // A rollback that fails too is retried before the next append writes.
    faults.shortWrite = true;
    faults.failTruncate = true;
    await expect(journal.append([record(30)])).rejects.toThrow(/ENOSPC/);
    expect(logs.join('\n')).toMatch(/rolling back a failed write to .* failed/);
    await fill(journal, 40, 5);
    await journal.close();

    const back = await reopen(dir);
    expect(back.logs).toEqual([]);
    expect(back.values()).toEqual([...values(0, 20), ...values(40, 45)]);
    expect(back.journal.end).toBe(25);
    await back.journal.close();
  });
});

describe('topic journal: epoch', () => {
  it('keeps its epoch across reopens and gets a new one when the directory is removed', async () => {
    const dir = journalDir();
    const first = await reopen(dir);
    await fill(first.journal, 0, 3);
    await first.journal.close();
    const second = await reopen(dir);
    expect(second.journal.epoch).toBe(first.journal.epoch);
    await second.journal.close();
    rmSync(dir, { recursive: true });
    const third = await reopen(dir);
    expect(third.journal.epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(third.journal.epoch).not.toBe(first.journal.epoch);
    expect(third.journal.end).toBe(0);
    await third.journal.close();
  });
});
