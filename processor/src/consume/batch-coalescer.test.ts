import { describe, expect, it } from 'vitest';
import { createBatchCoalescer } from './batch-coalescer';
import type { Delivery } from './event-source';

const delivery = (partition: number, count: number): Delivery => ({
  topic: 't',
  partition,
  messages: Array.from({ length: count }, (_, i) => ({
    key: null,
    value: null,
    offset: String(i),
    timestamp: 0,
  })),
  heartbeat: () => Promise.resolve(),
  isActive: () => true,
});

describe('batch coalescer', () => {
  it('flushes the deliveries of one fetch together, and each settles with that flush', async () => {
    const flushed: number[][] = [];
    const handle = createBatchCoalescer({
      maxRows: 1000,
      maxWaitMs: 1000,
      lingerMs: 10,
      flush: (ds) => {
        flushed.push(ds.map((d) => d.partition));
        return Promise.resolve();
      },
    });
    await Promise.all([handle(delivery(0, 10)), handle(delivery(1, 10)), handle(delivery(2, 10))]);
    expect(flushed).toEqual([[0, 1, 2]]);
  });

  it('flushes at once when full, and a failed flush rejects every delivery in it', async () => {
    const flushed: number[][] = [];
    const handle = createBatchCoalescer({
      maxRows: 15,
      maxWaitMs: 1000,
      flush: (ds) => {
        flushed.push(ds.map((d) => d.partition));
        return ds.length > 1 ? Promise.reject(new Error('warehouse down')) : Promise.resolve();
      },
    });
    const results = await Promise.allSettled([
      handle(delivery(0, 10)),
      handle(delivery(1, 10)),
      handle(delivery(2, 1)),
    ]);
    expect(flushed).toEqual([[0, 1], [2]]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('heartbeats every delivery while a long flush runs', async () => {
    let beats = 0;
    const slow = { ...delivery(0, 1), heartbeat: () => Promise.resolve(void (beats += 1)) };
    const handle = createBatchCoalescer({
      maxRows: 1,
      maxWaitMs: 1000,
      heartbeatMs: 20,
      // the flush ends once 4 beats came in (a loaded machine merges timer ticks), or fails at 5 s
      flush: () =>
        new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 5000;
          const check = setInterval(() => {
            if (beats >= 4 || Date.now() > deadline) clearInterval(check);
            if (beats >= 4) resolve();
            else if (Date.now() > deadline) reject(new Error(`${beats} heartbeats in 5 s`));
          }, 5);
        }),
    });
    await handle(slow);
    expect(beats).toBeGreaterThanOrEqual(4);
  });
});
