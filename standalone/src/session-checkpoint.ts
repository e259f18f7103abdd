/**
 * Makes the in-memory session store survive restarts: every few seconds (and
 * at shutdown) the store is written to `<dataDir>/sessions.snapshot.json`
 * together with the sessions group's committed offset, and only then is that
 * offset made durable on the bus. After a crash, the store is read back and
 * the group replays from the snapshot's offset; the store counts each event
 * id once, so the replay adds only what the snapshot had not seen.
 */
import { readFile } from 'node:fs/promises';
import { writeFileDurably } from './write-file-durably';
import { join } from 'node:path';
import { createMemorySessionStore, type MemorySessionStore } from '@gosight/processor';
import type { InProcessBus } from './in-process-bus';

interface SnapshotFile {
  offset: number;
  store: string;
}

export interface SessionCheckpoint {
  store: MemorySessionStore;
  /** Writes a snapshot now (also runs on the interval once started). */
  save(): Promise<void>;
  /** Starts the interval. */
  start(): void;
  /** Stops the interval and writes a last snapshot. */
  close(): Promise<void>;
}

/** Loads the store from the last snapshot (if any) and rewinds the sessions group to its offset. */
export async function openSessionCheckpoint(options: {
  dataDir: string;
  bus: InProcessBus;
  topic: string;
  group: string;
  tombstoneTtlMs: number;
  intervalMs?: number;
  log: (line: string) => void;
}): Promise<SessionCheckpoint> {
  const path = join(options.dataDir, 'sessions.snapshot.json');
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
  // The group resumes where the snapshot was taken (from the start without one).
  await options.bus.persistOffset(options.topic, options.group, saved?.offset ?? 0);
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const save = () => {
    chain = chain.then(async () => {
      // Offset first, then the store: the store may be ahead of the offset (replayed
      // events are then recognised as seen), never behind it.
      const offset = options.bus.committed(options.topic, options.group);
      const text = JSON.stringify({ offset, store: store.snapshot() } satisfies SnapshotFile);
      await writeFileDurably(path, text);
      await options.bus.persistOffset(options.topic, options.group, offset);
    });
    return chain;
  };

  return {
    store,
    save,
    start() {
      timer = setInterval(() => {
        save().catch((error: unknown) => options.log(`sessions snapshot failed: ${String(error)}`));
      }, options.intervalMs ?? 5000);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      await save();
    },
  };
}
