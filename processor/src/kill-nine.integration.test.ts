/**
 * kill -9 of the processor five times while 50k events flow: every event is
 * stored once as a query sees it, and every session counter is exact.
 * Then SIGTERM: the last processor drains, commits and leaves its groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '@gosight/schema';
import { readConsumerLag } from './cli/consumer-lag';
import { startChildProcessor, type ChildProcessor } from './testing/child-processor';
import { newSession, realisticSession } from './testing/enriched-builder';
import { createTestEnv, waitUntil, type TestEnv } from './testing/harness';

const SESSIONS = 2500;
const PER_SESSION = 20;
const TOTAL = SESSIONS * PER_SESSION;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let env: TestEnv;
let current: ChildProcessor | undefined;

beforeAll(async () => {
  env = await createTestEnv('kill9');
});

afterAll(async () => {
  if (current && current.child.exitCode === null) {
    current.child.kill('SIGKILL');
    await current.exited;
  }
  await env?.cleanup();
});

const count = async (sql: string) => Number((await env.query<{ n: string }>(sql))[0]?.n);

describe('kill -9 while events flow', () => {
  it('loses nothing and shows no duplicates', async () => {
    const T0 = Date.UTC(2026, 10, 22, 12);
    const events: EnrichedEvent[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      events.push(...realisticSession(newSession('pk_kill9'), PER_SESSION, T0 + s * 50));
    }
    // Interleave sessions the way live traffic does: event i of every session, then i + 1.
    events.sort((a, b) => a.ts - b.ts);

    let produced = 0;
    const producing = (async () => {
      for (let i = 0; i < events.length; i += 1000) {
        await env.produce(events.slice(i, i + 1000));
        produced = i + 1000;
        await sleep(700);
      }
    })();

    const killedAfter: number[] = [];
    for (let kill = 0; kill < 5; kill++) {
      const before = await count('SELECT count() AS n FROM {db}.events');
      current = startChildProcessor(env);
      // Kill it mid-flight: once it has inserted something, a moment later.
      const progressed = await waitUntil(
        async () => (await count('SELECT count() AS n FROM {db}.events')) > before,
        60_000,
        100,
      );
      expect(progressed).toBe(true);
      await sleep(kill * 150);
      current.child.kill('SIGKILL');
      expect(await current.exited).toBe('SIGKILL');
      killedAfter.push(await count('SELECT count() AS n FROM {db}.events'));
    }
    await producing;
    expect(produced).toBeGreaterThanOrEqual(TOTAL);

    current = startChildProcessor(env);
    const done = await waitUntil(
      async () => {
        const lag = await readConsumerLag(env.admin, env.settings.group, env.settings.topic);
        return lag.total === 0;
      },
      150_000,
      1000,
    );
    if (!done) console.log(current.output());
    expect(done).toBe(true);
    console.log(`rows stored (with copies) after each kill: ${killedAfter.join(', ')}`);

    expect(await count('SELECT uniqExact(event_id) AS n FROM {db}.events')).toBe(TOTAL);
    expect(await count('SELECT count() AS n FROM {db}.events FINAL')).toBe(TOTAL);
    const sessions = await env.query<{ n: string; total: string; exact: string }>(
      `SELECT count() AS n, sum(event_count) AS total, countIf(event_count = ${PER_SESSION}) AS exact FROM {db}.sessions FINAL`,
    );
    expect(
      sessions[0] && [Number(sessions[0].n), Number(sessions[0].total), Number(sessions[0].exact)],
    ).toEqual([SESSIONS, TOTAL, SESSIONS]);
    // The per-type counters agree with the stored events, session by session.
    const mismatched = await count(`
      SELECT count() AS n FROM {db}.sessions AS s FINAL
      INNER JOIN (
        SELECT session_id, countIf(type = 'page_view') AS pages, countIf(type = 'click') AS clicks, countIf(type = 'js_error') AS errors
        FROM {db}.events FINAL GROUP BY session_id
      ) AS e ON s.session_id = e.session_id
      WHERE s.page_count != e.pages OR s.click_count != e.clicks OR s.error_count != e.errors`);
    expect(mismatched).toBe(0);

    // SIGTERM: drain, commit, leave the groups, exit 0.
    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
    expect(current.output()).toContain('processor: stopped');
    const described = await env.admin.describeGroups([env.settings.group]);
    expect(described.groups.map((g) => g.members.length)).toEqual([0]);
  });
});
