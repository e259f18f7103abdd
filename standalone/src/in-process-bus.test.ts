import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusError } from '@gosight/ingestor';
import type { Delivery } from '@gosight/processor';
import { describe, expect, it } from 'vitest';
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
    expect(readdirSync(join(dir, T))).toHaveLength(1);
    await bus.close();
  });
});
