import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInProcessBus, type InProcessBus } from './in-process-bus';
import { openSessionCheckpoint } from './session-checkpoint';

const T = 'raw';
const GROUP = 'sessions';

const openBus = (dataDir: string) =>
  openInProcessBus({ dir: join(dataDir, 'bus'), consumedTopics: [T], maxBufferedMessages: 1000 });

const send = (bus: InProcessBus, from: number, n: number) =>
  bus.producer.send([
    {
      topic: T,
      messages: Array.from({ length: n }, (_, i) => ({
        key: 's',
        value: `${from + i}`,
        headers: {},
      })),
    },
  ]);

/** Runs the (non-durable) processor group until it has seen `count` messages; returns their values. */
async function consumeSessions(bus: InProcessBus, count: number): Promise<string[]> {
  const seen: string[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const source = bus.source(T, GROUP, { durable: false });
  await source.start((d) => {
    seen.push(...d.messages.map((m) => String(m.value)));
    if (seen.length >= count) done();
    return Promise.resolve();
  });
  await finished;
  await source.close();
  return seen;
}

const checkpointOf = (dataDir: string, bus: InProcessBus, logs: string[], intervalMs = 5000) =>
  openSessionCheckpoint({
    dataDir,
    bus,
    topic: T,
    group: GROUP,
    tombstoneTtlMs: 60_000,
    intervalMs,
    log: (l) => logs.push(l),
  });

describe('session checkpoint', () => {
  it('after data/bus is removed, the processor group reads the new journal from its start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gosight-checkpoint-'));
    const logs: string[] = [];
    let bus = await openBus(dataDir);
    let checkpoint = await checkpointOf(dataDir, bus, logs);
    await send(bus, 0, 5);
    expect(await consumeSessions(bus, 5)).toEqual(['0', '1', '2', '3', '4']);
    await checkpoint.close();
    await bus.close();
    expect(JSON.parse(readFileSync(join(dataDir, 'sessions.snapshot.json'), 'utf8'))).toMatchObject(
      { offset: 5 },
    );

    rmSync(join(dataDir, 'bus'), { recursive: true });
    bus = await openBus(dataDir);
    checkpoint = await checkpointOf(dataDir, bus, logs);
    expect(logs.join('\n')).toContain('was taken on an earlier bus journal');
    await send(bus, 100, 3);
    // At offset 5 (the old journal's) it would skip these three.
    expect(await consumeSessions(bus, 3)).toEqual(['100', '101', '102']);
    await checkpoint.close();
    await bus.close();
  });

  it('refuses to start when the journal ends below the snapshot of the same journal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gosight-checkpoint-'));
    const bus = await openBus(dataDir);
    const checkpoint = await checkpointOf(dataDir, bus, []);
    await send(bus, 0, 2);
    await checkpoint.close();
    const path = join(dataDir, 'sessions.snapshot.json');
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { offset: number };
    writeFileSync(path, JSON.stringify({ ...snapshot, offset: 9 }));
    await expect(checkpointOf(dataDir, bus, [])).rejects.toMatchObject({
      code: 'BUS_JOURNAL_DAMAGED',
      message: expect.stringContaining(
        `${path}: the journal of ${T} ends at offset 2, below offset 9`,
      ) as unknown,
    });
    await bus.close();
  });

  it('retries a failed snapshot on its own and recovers once the directory is back', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gosight-checkpoint-'));
    const bus = await openBus(root);
    const dataDir = join(root, 'later');
    const path = join(dataDir, 'sessions.snapshot.json');
    const logs: string[] = [];
    const checkpoint = await checkpointOf(dataDir, bus, logs, 20);
    await expect(checkpoint.save()).rejects.toMatchObject({ code: 'ENOENT' });
    checkpoint.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logs.filter((l) => l.includes('write failed'))).toHaveLength(1);

    mkdirSync(dataDir);
    const deadline = Date.now() + 5000;
    while (!existsSync(path) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(existsSync(path)).toBe(true);
    await checkpoint.save();
    expect(logs.filter((l) => l.includes('written again'))).toHaveLength(1);
    await checkpoint.close();
    await bus.close();
  });
});
