import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusError } from '@gosight/ingestor';
import { dedupToken, type Delivery } from '@gosight/processor';
import { describe, expect, it, vi } from 'vitest';
import { openInProcessBus } from './in-process-bus';

const T = 'raw';
const msg = (i: number) => ({ key: `s${i % 3}`, value: `{"n":${i}}`, headers: { h: 'x' } });
const send = (bus: Awaited<ReturnType<typeof openInProcessBus>>, from: number, n: number) =>
  bus.producer.send([{ topic: T, messages: Array.from({ length: n }, (_, i) => msg(from + i)) }]);

/** Consumes until `count` values arrived; `fail` rejects that many deliveries first. */
async function consume(
  bus: Awaited<ReturnType<typeof openInProcessBus>>,
  group: string,
  count: number,
  fail = 0,
) {
  const seen: string[] = [];
  let failures = fail;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const source = bus.source(T, group);
  await source.start(async (d: Delivery) => {
    await Promise.resolve();
    if (failures-- > 0) throw new Error('not stored');
    seen.push(...d.messages.map((m) => String(m.value)));
    if (seen.length >= count) done();
  });
  await finished;
  await source.close();
  return seen;
}

describe('in-process bus', () => {
  it('delivers in order, redelivers a rejected delivery, resumes after the committed offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    let bus = await openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 1000 });
    await send(bus, 0, 5);
    expect(await consume(bus, 'g', 5, 1)).toEqual([0, 1, 2, 3, 4].map((n) => `{"n":${n}}`));
    await send(bus, 5, 2);
    await bus.producer.close();
    await bus.close();
    // Restart: the acknowledged but uncommitted two come back, the committed five do not.
    bus = await openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 1000 });
    expect(await consume(bus, 'g', 2)).toEqual(['{"n":5}', '{"n":6}']);
    await bus.close();
  });

  it('cuts a torn last line (a write never acknowledged) on open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    let bus = await openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 1000 });
    await send(bus, 0, 3);
    await bus.close();
    const segment = join(dir, T, readdirSync(join(dir, T))[0] ?? '');
    appendFileSync(segment, '{"key":"s1","value":"{\\"n\\":9');
    bus = await openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 1000 });
    expect(bus.endOffset(T)).toBe(3);
    await send(bus, 3, 1);
    expect(await consume(bus, 'g', 4)).toEqual([0, 1, 2, 3].map((n) => `{"n":${n}}`));
    await bus.close();
  });

  it('answers BUS_BUFFER_FULL once a group is that far behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    const bus = await openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 10 });
    const source = bus.source(T, 'slow');
    await source.start(() => new Promise(() => {})); // never stores
    await send(bus, 0, 8);
    expect(bus.producer.isReady()).toBe(true);
    await expect(send(bus, 8, 5)).rejects.toMatchObject({
      code: 'BUS_BUFFER_FULL',
    } satisfies Partial<BusError>);
    await bus.close();
  });

  it('deletes segments every group has committed past', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    const bus = await openInProcessBus({
      dir,
      consumedTopics: [T],
      maxBufferedMessages: 1000,
      segmentBytes: 200,
    });
    for (let i = 0; i < 10; i++) await send(bus, i * 5, 5);
    expect(readdirSync(join(dir, T)).length).toBeGreaterThan(3);
    const [a, b] = await Promise.all([consume(bus, 'a', 50), consume(bus, 'b', 50)]);
    expect([a.length, b.length]).toEqual([50, 50]);
    await bus.close(); // offsets are written in the background; close writes the last ones
    expect(readdirSync(join(dir, T)).filter((f) => f.endsWith('.log'))).toHaveLength(1);
  });
});

describe('in-process bus: damage and resets', () => {
  const open = (dir: string, extra: Partial<Parameters<typeof openInProcessBus>[0]> = {}) =>
    openInProcessBus({ dir, consumedTopics: [T], maxBufferedMessages: 1000, ...extra });
  const segment = (dir: string) =>
    join(dir, T, readdirSync(join(dir, T)).find((f) => f.endsWith('.log')) ?? '');

  it('after a torn tail is cut, every message acknowledged later is delivered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    let bus = await open(dir);
    for (let i = 0; i < 5; i++) await send(bus, i * 2, 2);
    await bus.close();
    truncateSync(segment(dir), statSync(segment(dir)).size - 10);
    const logs: string[] = [];
    bus = await open(dir, { log: (l) => logs.push(l) });
    expect(logs.filter((l) => l.includes('cut a torn last record'))).toHaveLength(1);
    expect(bus.endOffset(T)).toBe(9);
    await send(bus, 100, 20);
    const seen = await consume(bus, 'g', 29);
    expect(seen.slice(9)).toEqual(Array.from({ length: 20 }, (_, i) => `{"n":${100 + i}}`));
    await bus.close();
  });

  it('refuses to start when the journal ends below an offset a group committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    const bus = await open(dir);
    await send(bus, 0, 10);
    expect(await consume(bus, 'g', 10)).toHaveLength(10);
    await bus.close();
    // Ten bytes gone from the last record, which group g has committed.
    const size = statSync(segment(dir)).size;
    truncateSync(segment(dir), size - 10);
    const error = await open(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUS_JOURNAL_DAMAGED', exitCode: 7 });
    expect((error as Error).message).toContain(
      `${join(dir, T)}: it ends at offset 9, below offset 10 committed by consumer group g`,
    );
    // The refusal changed nothing: not even the torn record was cut.
    expect(statSync(segment(dir)).size).toBe(size - 10);
  });

  it('answers a failed journal write with BUS_UNAVAILABLE and loses nothing acknowledged around it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
    let failNext = false;
    const openSegment = async (path: string) => {
      const handle = await openFile(path, 'a');
      const write = handle.write.bind(handle);
      return Object.assign(handle, {
        write: (buffer: Buffer, offset: number, length: number) => {
          if (!failNext) return write(buffer, offset, length);
          failNext = false;
          // Half the bytes reach the file, then the disk is full.
          return write(buffer, offset, length >> 1).then(() => {
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          });
        },
      });
    };
    let bus = await open(dir, { openSegment });
    await send(bus, 0, 3);
    failNext = true;
    await expect(send(bus, 3, 3)).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
    await send(bus, 6, 3);
    await bus.close();
    bus = await open(dir);
    expect(await consume(bus, 'g', 6)).toEqual([0, 1, 2, 6, 7, 8].map((n) => `{"n":${n}}`));
    await bus.close();
  });

  it('a redelivery keeps its dedup token; a removed bus directory gives new epoch and token for the same offsets', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'gosight-bus-'));
      /** Opens the bus, sends three messages unless asked not to, and returns the token of their first delivery (never committed). */
      const tokenOfFirstDelivery = async (sendFirst: boolean) => {
        const bus = await open(dir);
        if (sendFirst) await send(bus, 0, 3);
        let got: (token: string) => void = () => {};
        const token = new Promise<string>((resolve) => (got = resolve));
        const source = bus.source(T, 'g');
        await source.start((d: Delivery) => {
          got(dedupToken('events', [d]));
          return Promise.reject(new Error('not stored'));
        });
        const result = await token;
        await source.close();
        const epoch = bus.incarnation(T);
        await bus.close();
        return { result, epoch };
      };
      const first = await tokenOfFirstDelivery(true);
      const redelivered = await tokenOfFirstDelivery(false);
      expect(redelivered).toEqual(first);
      rmSync(dir, { recursive: true });
      const afterReset = await tokenOfFirstDelivery(true);
      expect(afterReset.epoch).not.toBe(first.epoch);
      expect(afterReset.result).not.toBe(first.result);
    } finally {
      now.mockRestore();
    }
  });
});
