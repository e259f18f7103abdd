/**
 * Makes the in-memory session store survive restarts: every few seconds (and
 * at shutdown) the store is written to `<dataDir>/sessions.snapshot.json`
 * together with the processor group's committed offset and the bus journal's
 * epoch, and only then is that offset made durable on the bus. After a crash,
 * the store is read back and the group replays from the snapshot's offset;
 * the store counts each event id once, so the replay adds only what the
 * snapshot had not seen. A failed snapshot is retried on its own
 * (retrying-write.ts). A snapshot taken on an earlier journal (data/bus
 * removed since) keeps its sessions but not its offset: the new journal's
 * offsets count from 0 again, and skipping to the old offset would drop the
 * new journal's first messages from the sessions (issue 13, §2).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemorySessionStore, type MemorySessionStore } from '@gosight/processor';
import type { InProcessBus } from './in-process-bus';
import { journalDamaged } from './journal-damage';
import { createRetryingWrite, type WriteHealth } from './retrying-write';
import { writeFileDurably } from './write-file-durably';

interface SnapshotFile {
  offset: number;
  /** The bus journal's epoch the offset counts in (absent in snapshots from before epochs). */
  epoch?: string;
  store: string;
}

export interface SessionCheckpoint {
  store: MemorySessionStore;
  /** Writes a snapshot now; rejects if that write failed (it is retried on its own). */
  save(): Promise<void>;
  /** Starts the interval. */
  start(): void;
  /** Stops the interval and writes a last snapshot. */
  close(): Promise<void>;
}

/** Loads the store from the last snapshot (if any) and rewinds the processor group to its offset. */
export async function openSessionCheckpoint(options: {
  dataDir: string;
  bus: InProcessBus;
  topic: string;
  group: string;
  tombstoneTtlMs: number;
  intervalMs?: number;
  log: (line: string) => void;
  health?: WriteHealth;
}): Promise<SessionCheckpoint> {
  const { bus, topic, group, log } = options;
  const path = join(options.dataDir, 'sessions.snapshot.json');
  const intervalMs = options.intervalMs ?? 5000;
  let saved: SnapshotFile | undefined;
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as SnapshotFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const store = createMemorySessionStore({
    tombstoneTtlMs: options.tombstoneTtlMs,
    ...(saved ? { snapshot: saved.store } : {}),
  });
  const epoch = bus.incarnation(topic);
  const end = bus.endOffset(topic);
  // The group resumes where the snapshot was taken (from the start without one).
  let offset = saved?.offset ?? 0;
  if (saved && saved.epoch !== epoch && (saved.epoch !== undefined || saved.offset > end)) {
    log(
      `sessions: ${path} was taken on an earlier bus journal (data/bus was reset); ` +
        'its sessions are kept and the processor group reads the new journal from its start',
    );
    offset = 0;
  } else if (saved && saved.offset > end) {
    throw journalDamaged(
      join(options.dataDir, 'bus'),
      path,
      `the journal of ${topic} ends at offset ${end}, below offset ${saved.offset} the sessions were snapshotted at, so acknowledged records are missing`,
    );
  }
  await bus.persistOffset(topic, group, offset);

  const writer = createRetryingWrite({
    file: 'sessions_snapshot',
    path,
    retryMs: intervalMs,
    log,
    ...(options.health ? { health: options.health } : {}),
    async write() {
      // Offset first, then the store: the store may be ahead of the offset (replayed
      // events are then recognised as seen), never behind it.
      const committed = bus.committed(topic, group);
      const file: SnapshotFile = { offset: committed, epoch, store: store.snapshot() };
      await writeFileDurably(path, JSON.stringify(file));
      await bus.persistOffset(topic, group, committed);
    },
  });
  let timer: NodeJS.Timeout | undefined;

  return {
    store,
    save: () => writer.flush(),
    start() {
      timer = setInterval(() => writer.request(), intervalMs);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      try {
        await writer.flush();
      } finally {
        await writer.close();
      }
    },
  };
}
