import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDurableWriteMetrics } from './durable-write-metrics';
import { createOffsetWriter, type Offsets } from './offset-file';

const until = async (done: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('offsets file writer', () => {
  it('keeps retrying while the directory is missing, logs once, and writes the latest offsets once it appears', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gosight-offsets-')), 'bus');
    const path = join(dir, 'offsets.json');
    const offsets: Offsets = { raw: { g: 1 } };
    const logs: string[] = [];
    const metrics = createDurableWriteMetrics(['offsets']);
    const registry = new Registry();
    metrics.register(registry);
    const metric = async (name: string) =>
      (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{file="offsets"}`));
    const writer = createOffsetWriter({
      path,
      current: () => offsets,
      retryMs: 20,
      log: (l) => logs.push(l),
      health: metrics,
    });

    await expect(writer.flush()).rejects.toMatchObject({ code: 'ENOENT' });
    for (let g = 2; g <= 5; g++) {
      offsets.raw = { g };
      writer.request(); // each supersedes the one before
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(writer.failing).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/offsets\.json: write failed, retrying every 20 ms .*ENOENT/);
    expect(await metric('gosight_standalone_durable_write_failing')).toMatch(/ 1$/);
    const failures = Number(
      (await metric('gosight_standalone_durable_write_failures_total'))?.split(' ')[1],
    );
    expect(failures).toBeGreaterThanOrEqual(3);

    mkdirSync(dir);
    await until(() => existsSync(path));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ raw: { g: 5 } });
    await until(() => !writer.failing);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/offsets\.json: written again after \d+ failed attempts/);
    expect(await metric('gosight_standalone_durable_write_failing')).toMatch(/ 0$/);

    offsets.raw = { g: 6 };
    await writer.flush();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ raw: { g: 6 } });
    await writer.close();
  });
});
