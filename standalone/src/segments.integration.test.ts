/**
 * Issue 17 §1 in single-machine mode (`npm start`: the in-process bus and the
 * embedded ClickHouse): POST /v1/profiles with the project's secret reaches
 * user_profiles through the bus and the processor, and the user's events then
 * carry the segment; identify traits are kept apart; a browser is refused.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  spawnStandalone,
  waitForBanner,
  type StandaloneChild,
} from './testing/spawn-standalone';

const ORIGIN = 'http://shop.test';
const SECRET = `sk_${randomUUID().replaceAll('-', '')}`;
const projects = JSON.stringify([{ key: 'pk_seg', origins: [ORIGIN], secret: SECRET }]);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

describe('segments in single-machine mode', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gosight-segments-'));
  let run: StandaloneChild | undefined;
  afterAll(async () => {
    await run?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores server profiles from POST /v1/profiles and puts the segment on later events', async () => {
    const port = await freePort();
    const chPort = await freePort();
    run = spawnStandalone({
      PORT: String(port),
      GOSIGHT_CLICKHOUSE_PORT: String(chPort),
      GOSIGHT_DATA_DIR: dataDir,
      GOSIGHT_PROJECTS: projects,
    });
    await waitForBanner(run);
    const clickhouse: ClickHouseClient = createClient({ url: `http://127.0.0.1:${chPort}` });
    const query = async <T>(sql: string) =>
      (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json<T>();
    const profiles = (body: unknown, headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/v1/profiles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    try {
      const from = Date.now() - 60_000;
      const fromBrowser = await profiles(
        { user_id: 'u_gold', segment: 'hacked' },
        { authorization: `Bearer ${SECRET}`, origin: ORIGIN },
      );
      expect(fromBrowser.status).toBe(403);
      const accepted = await profiles(
        [
          { user_id: 'u_gold', segment: 'gold', traits: { plan: 'pro' }, updated_at: from },
          { user_id: 'u_free', segment: 'free', updated_at: from },
        ],
        { authorization: `Bearer ${SECRET}` },
      );
      expect([accepted.status, await accepted.json()]).toEqual([202, { accepted: 2 }]);
      const stored = await until(
        () =>
          query<{ user_id: string; segment: string }>(
            "SELECT user_id, segment FROM gosight.user_profiles FINAL WHERE source = 'server' ORDER BY user_id",
          ),
        (rows) => rows.length === 2,
      );
      expect(stored).toEqual([
        { user_id: 'u_free', segment: 'free' },
        { user_id: 'u_gold', segment: 'gold' },
      ]);

      const now = Date.now();
      const event = (userId: string | undefined, payload: object) => ({
        id: randomUUID(),
        type: 'custom',
        ts: now,
        session_id: `s_${userId ?? 'anon'}`,
        anon_id: 'a_1',
        ...(userId ? { user_id: userId } : {}),
        url: `${ORIGIN}/`,
        payload,
      });
      const events = [
        event('u_gold', { name: '$identify', props: { plan: 'hacked-from-page', seats: 2 } }),
        event('u_gold', { name: 'purchase', props: { value: 10 } }),
        event('u_free', { name: 'purchase', props: { value: 1 } }),
        event(undefined, { name: 'purchase' }),
      ];
      const batch = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: ORIGIN },
        body: JSON.stringify({ project: 'pk_seg', sent_at: now, events }),
      });
      expect(batch.status).toBe(202);
      const rows = await until(
        () =>
          query<{ segment: string; name: string; events: string }>(
            `SELECT segment, name, toString(count()) AS events FROM gosight.events FINAL
             GROUP BY segment, name ORDER BY segment, name`,
          ),
        (r) => r.length === 4,
      );
      expect(rows).toEqual([
        { segment: 'free', name: 'purchase', events: '1' },
        { segment: 'gold', name: '$identify', events: '1' },
        { segment: 'gold', name: 'purchase', events: '1' },
        { segment: 'unknown', name: 'purchase', events: '1' },
      ]);
      // The page's traits are kept apart and never change the segment.
      const sdk = await until(
        () =>
          query<{ user_id: string; segment: string; traits: string }>(
            "SELECT user_id, segment, traits FROM gosight.user_profiles FINAL WHERE source = 'sdk'",
          ),
        (r) => r.length === 1,
      );
      expect(sdk).toEqual([
        { user_id: 'u_gold', segment: '', traits: '{"plan":"hacked-from-page","seats":2}' },
      ]);
      expect(await run.stop('SIGTERM')).toBe(0);
    } finally {
      await clickhouse.close();
    }
  });
});
