/**
 * Issue 17 §1 on the real stack (Kafka, Redis, the ClickHouse engine): an
 * identify with traits, a profile import (CSV and NDJSON, with bad lines), a
 * server profile arriving in the stream, then events — each event must carry
 * its user's segment as it was at its time, and per-segment 10-second window
 * counts must be exact, a duplicate delivery included.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profilesMessageValues, type EnrichedEvent } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConsumerLag } from '../cli/consumer-lag';
import { runProfilesImport } from '../cli/profiles-import-command';
import { createWarehouse } from '../warehouse/warehouse';
import {
  createTestEnv,
  startProcessor,
  waitUntil,
  type RunningProcessor,
  type TestEnv,
} from '../testing/harness';
import { enrichedEvent, newSession, type SessionContext } from '../testing/enriched-builder';

const P = 'pk_segments';
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const URL_HOME = 'https://shop.example.com/';
const URL_CART = 'https://shop.example.com/cart';

let env: TestEnv;
let running: RunningProcessor;
let dir: string;

beforeAll(async () => {
  env = await createTestEnv('segments');
  // A long refresh interval: the test reads user_profiles itself (refreshSegments), so
  // nothing depends on a timer.
  running = await startProcessor(env, { settings: { segmentRefreshMs: 3_600_000 } });
  dir = await mkdtemp(join(tmpdir(), 'gosight-profiles-'));
});

afterAll(async () => {
  await running?.close();
  await env?.cleanup();
});

const count = async (sql: string) => Number((await env.query<{ n: string }>(sql))[0]?.n);

describe('user segments on every event', () => {
  it('imports profiles, reports bad lines, and gives each event the segment at its time', async () => {
    const warehouse = createWarehouse(env.clickhouse, env.settings.database);
    const csv = join(dir, 'crm.csv');
    await writeFile(
      csv,
      [
        'user_id,segment,updated_at,plan,note',
        `u_gold,gold,${T0},pro,"likes ""quotes"", commas"`,
        `u_silver,silver,${new Date(T0).toISOString()},basic,`,
        `u_change,bronze,${T0},,"two`,
        `lines"`,
        `,gold,${T0},,`,
        `u_bad_time,gold,yesterday,,`,
        `u_short,gold`,
        '',
      ].join('\n'),
    );
    const errors: string[] = [];
    const out: string[] = [];
    const csvResult = await runProfilesImport({
      warehouse,
      file: csv,
      format: 'csv',
      project: P,
      now: T0 + 3_600_000,
      err: (l) => errors.push(l),
      out: (l) => out.push(l),
    });
    expect(csvResult).toEqual({ read: 6, stored: 3, bad: 3 });
    const badLines = errors.filter((l) => l.startsWith('line '));
    expect(badLines).toEqual([
      expect.stringMatching(/^line 6: user_id: .*\(too_small\)$/),
      expect.stringMatching(/^line 7: updated_at: /),
      'line 8: 2 fields, the header has 5',
    ]);
    expect(errors.some((l) => /3 stored, 3 bad/.test(l))).toBe(true);
    expect(out).toEqual([
      `profiles import: ${csv}: 6 records, 3 stored into user_profiles, 3 bad (listed above, not stored)`,
    ]);

    // u_change moves to gold 20 s later (NDJSON), with a line that is not JSON.
    const ndjson = join(dir, 'update.ndjson');
    await writeFile(
      ndjson,
      [
        JSON.stringify({ user_id: 'u_change', segment: 'gold', updated_at: T0 + 20_000 }),
        '{"user_id": "u_x", nope',
        JSON.stringify({ user_id: 'u_x', segment: 'gold', extra: 1 }),
      ].join('\n'),
    );
    const ndErrors: string[] = [];
    const ndResult = await runProfilesImport({
      warehouse,
      file: ndjson,
      format: 'ndjson',
      project: P,
      now: T0 + 3_600_000,
      err: (l) => ndErrors.push(l),
      out: () => undefined,
    });
    expect(ndResult).toEqual({ read: 3, stored: 1, bad: 2 });
    expect(ndErrors.filter((l) => l.startsWith('line '))).toEqual([
      expect.stringMatching(/^line 2: not JSON: /),
      'line 3: (root): Unrecognized key: "extra" (unrecognized_keys)',
    ]);
    // The processor reads what the import stored (its timer would, every interval).
    expect(await running.processor.refreshSegments()).toBeGreaterThanOrEqual(4);

    // A server profile in the stream, as POST /v1/profiles puts it on the raw topic.
    const [streamed] = profilesMessageValues([
      {
        project_id: P,
        user_id: 'u_stream',
        source: 'server',
        segment: 'vip',
        traits: { cohort: '2026-11' },
        updated_at: T0,
      },
    ]);
    await env.producer.send({
      topic: env.settings.topic,
      acks: -1,
      messages: [{ key: `profiles:${P}`, value: streamed!.value }],
    });
    expect(
      await waitUntil(
        async () =>
          (await count(
            `SELECT count() AS n FROM {db}.user_profiles FINAL WHERE user_id = 'u_stream'`,
          )) === 1,
        60_000,
      ),
    ).toBe(true);

    // The events: 10-second windows from T0 - 10 s to T0 + 30 s.
    const users: Record<string, SessionContext> = Object.fromEntries(
      ['u_gold', 'u_silver', 'u_change', 'u_stream', 'u_none'].map((u) => [
        u,
        newSession(P, { userId: u }),
      ]),
    );
    const anonymous = newSession(P);
    const events: EnrichedEvent[] = [];
    const expected = new Map<string, string>();
    const add = (session: SessionContext, offsetMs: number, segment: string, url = URL_HOME) => {
      const event = enrichedEvent(session, 'page_view', {}, { ts: T0 + offsetMs, url });
      events.push(event);
      expected.set(event.event_id, segment);
      return event;
    };
    const s = (u: string) => users[u] as SessionContext;
    add(s('u_gold'), -5_000, 'unknown'); // before the profile's updated_at
    add(s('u_gold'), 1_000, 'gold');
    add(s('u_gold'), 12_000, 'gold', URL_CART);
    add(s('u_silver'), 2_000, 'silver');
    add(s('u_silver'), 25_000, 'silver', URL_CART);
    add(s('u_change'), 5_000, 'bronze');
    add(s('u_change'), 19_999, 'bronze');
    add(s('u_change'), 20_000, 'gold');
    add(s('u_change'), 29_000, 'gold', URL_CART);
    add(s('u_stream'), 3_000, 'vip');
    add(s('u_stream'), 13_000, 'vip');
    add(s('u_none'), 4_000, 'unknown');
    add(anonymous, 6_000, 'unknown');
    add(anonymous, 16_000, 'unknown');
    // identify with traits: stored as an event (gold: it is the user's) and as an sdk profile.
    const identify = enrichedEvent(
      s('u_gold'),
      'custom',
      { name: '$identify', props: { plan: 'pro', seats: 3 } },
      { ts: T0 + 500, url: URL_HOME },
    );
    events.push(identify);
    expected.set(identify.event_id, 'gold');
    await env.produce(events);
    // A duplicate delivery of three of them (a redelivered message).
    await env.produce([events[1]!, events[7]!, events[12]!]);

    const stored = () => count('SELECT count() AS n FROM {db}.events FINAL');
    expect(await waitUntil(async () => (await stored()) === events.length, 60_000)).toBe(true);
    // …and the duplicates are read too (the group committed everything), not only the originals.
    expect(
      await waitUntil(
        async () =>
          (await readConsumerLag(env.admin, env.settings.group, env.settings.topic)).total === 0,
        60_000,
      ),
    ).toBe(true);

    const rows = await env.query<{ event_id: string; segment: string }>(
      'SELECT toString(event_id) AS event_id, segment FROM {db}.events FINAL',
    );
    expect(new Map(rows.map((r) => [r.event_id, r.segment]))).toEqual(expected);

    // Exact counts per segment in 10-second tumbling windows (FINAL: the duplicates count once).
    const windows = await env.query<{ segment: string; window: string; events: string }>(
      `SELECT segment, toString(toStartOfInterval(ts, INTERVAL 10 SECOND)) AS window,
              toString(count()) AS events
       FROM {db}.events FINAL GROUP BY segment, window ORDER BY window, segment`,
    );
    const want = new Map<string, number>();
    for (const e of events) {
      const start = new Date(Math.floor(e.ts / 10_000) * 10_000).toISOString();
      const key = `${start.slice(0, 10)} ${start.slice(11, 19)}|${expected.get(e.event_id)}`;
      want.set(key, (want.get(key) ?? 0) + 1);
    }
    expect(new Map(windows.map((w) => [`${w.window}|${w.segment}`, Number(w.events)]))).toEqual(
      want,
    );
    expect(want.get('2026-11-22 12:00:00|gold')).toBe(2); // the identify and the first view
    expect(want.get('2026-11-22 12:00:20|gold')).toBe(2); // u_change after its update

    // user_profiles: the latest server profile of each user, and the page's traits apart.
    const profiles = await env.query<{
      user_id: string;
      source: string;
      segment: string;
      traits: string;
    }>(
      `SELECT user_id, source, segment, traits FROM {db}.user_profiles FINAL
       ORDER BY user_id, source`,
    );
    expect(profiles).toEqual([
      { user_id: 'u_change', source: 'server', segment: 'gold', traits: '{}' },
      { user_id: 'u_gold', source: 'sdk', segment: '', traits: '{"plan":"pro","seats":3}' },
      {
        user_id: 'u_gold',
        source: 'server',
        segment: 'gold',
        traits: '{"plan":"pro","note":"likes \\"quotes\\", commas"}',
      },
      { user_id: 'u_silver', source: 'server', segment: 'silver', traits: '{"plan":"basic"}' },
      { user_id: 'u_stream', source: 'server', segment: 'vip', traits: '{"cohort":"2026-11"}' },
    ]);
  }, 180_000);
});
