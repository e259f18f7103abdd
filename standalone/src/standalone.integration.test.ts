/**
 * `npm start` as a user runs it, in a child process on the single-machine
 * defaults (own ports, own data directory, embedded ClickHouse): every event
 * that got a 202 is in ClickHouse after SIGTERM + restart and after SIGKILL +
 * restart; bad configuration ends the process with one message naming it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  spawnStandalone,
  waitForBanner,
  type StandaloneChild,
} from './testing/spawn-standalone';

const ORIGIN = 'http://shop.test';
const projects = JSON.stringify([{ key: 'pk_it', origins: [ORIGIN] }]);

async function postEvents(port: number, count: number, sessionId: string): Promise<number> {
  let accepted = 0;
  for (let sent = 0; sent < count; sent += 50) {
    const now = Date.now();
    const events = Array.from({ length: Math.min(50, count - sent) }, () => ({
      id: randomUUID(),
      type: 'custom',
      ts: now,
      session_id: sessionId,
      anon_id: 'a_integration',
      url: `${ORIGIN}/`,
      referrer: '',
      title: 't',
      viewport: { w: 1, h: 1 },
      screen: { w: 1, h: 1 },
      lang: 'en',
      payload: { name: 'tick' },
    }));
    const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN },
      body: JSON.stringify({ project: 'pk_it', sent_at: now, events }),
    });
    expect(res.status).toBe(202);
    accepted += ((await res.json()) as { accepted: number }).accepted;
  }
  return accepted;
}

describe('npm start (single machine)', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gosight-standalone-'));
  let run: StandaloneChild | undefined;
  afterAll(async () => {
    await run?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every 202 across SIGTERM and SIGKILL restarts', async () => {
    const port = await freePort();
    const chPort = await freePort();
    const env = {
      PORT: String(port),
      GOSIGHT_CLICKHOUSE_PORT: String(chPort),
      GOSIGHT_DATA_DIR: dataDir,
      GOSIGHT_PROJECTS: projects,
    };
    const clickhouse = createClient({ url: `http://127.0.0.1:${chPort}` });
    const count = async (sessionId: string) => {
      const result = await clickhouse.query({
        query: `SELECT count() AS n FROM gosight.events FINAL WHERE session_id = {s:String}`,
        query_params: { s: sessionId },
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
    };
    const eventually = async (sessionId: string, expected: number) => {
      const deadline = Date.now() + 30_000;
      let n = await count(sessionId);
      while (n !== expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        n = await count(sessionId);
      }
      return n;
    };
    try {
      run = spawnStandalone(env);
      await waitForBanner(run);
      expect(run.output()).toContain(`http://127.0.0.1:${port}/`);
      const first = `s_term_${Date.now()}`;
      const acceptedBeforeTerm = await postEvents(port, 500, first);
      expect(await run.stop('SIGTERM')).toBe(0);

      run = spawnStandalone(env);
      await waitForBanner(run);
      expect(await eventually(first, acceptedBeforeTerm)).toBe(500);

      const second = `s_kill_${Date.now()}`;
      const acceptedBeforeKill = await postEvents(port, 500, second);
      await run.stop('SIGKILL');
      run = spawnStandalone(env);
      await waitForBanner(run);
      expect(await eventually(second, acceptedBeforeKill)).toBe(500);
      expect(await count(first)).toBe(500);
      expect(await run.stop('SIGTERM')).toBe(0);
    } finally {
      await clickhouse.close();
    }
  });

  it('refuses a malformed GOSIGHT_PROJECTS with one message naming it', async () => {
    const bad = spawnStandalone({ GOSIGHT_PROJECTS: '[{"key":', PORT: String(await freePort()) });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/GOSIGHT_PROJECTS: cannot read projects/);
  });

  it('refuses an unreachable KAFKA_BROKERS within the timeout', async () => {
    const deadPort = await freePort();
    const bad = spawnStandalone({
      KAFKA_BROKERS: `127.0.0.1:${deadPort}`,
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      GOSIGHT_KAFKA_CONNECT_TIMEOUT_MS: '1500',
      PORT: String(await freePort()),
      GOSIGHT_DATA_DIR: dataDir,
    });
    expect(await bad.exited).toBe(4);
    expect(bad.output()).toContain(
      `no Kafka broker answered at KAFKA_BROKERS=127.0.0.1:${deadPort}`,
    );
  });

  it('refuses a port in use, naming the port and PORT', async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => {
        const a = taken.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    try {
      const bad = spawnStandalone({ PORT: String(port), GOSIGHT_DATA_DIR: dataDir });
      expect(await bad.exited).toBe(3);
      expect(bad.output()).toContain(`port ${port} (the demo shop and ingest) is already in use`);
      expect(bad.output()).toContain('set PORT');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
