import type { WireBatch } from '@gosight/schema';
import { afterEach, expect, test } from 'vitest';
import {
  batchOf,
  CHROME_UA,
  TEST_ORIGIN,
  TEST_SENT_AT,
  testApp,
  type RecordingProducer,
} from '../test-support';
import { createVisitorSalt } from './visitor-salt';

const DAY = 86_400_000;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Posts `batch` from `ip` with `ua`; returns the anon_ids of the events produced. */
const anonIdsOf = async (
  app: Awaited<ReturnType<typeof testApp>>,
  batch: WireBatch,
  ip = '203.0.113.7',
  ua = CHROME_UA,
) => {
  const producer: RecordingProducer = app.producer;
  producer.sent.length = 0;
  const res = await app.app.inject({
    method: 'POST',
    url: '/v1/batch',
    remoteAddress: ip,
    headers: { 'content-type': 'text/plain', 'user-agent': ua, origin: TEST_ORIGIN },
    payload: JSON.stringify(batch),
  });
  expect(res.statusCode).toBe(202);
  return producer.sent
    .flatMap((t) => t.messages)
    .flatMap((m) => JSON.parse(m.value) as { anon_id: string }[])
    .map((e) => e.anon_id);
};

const cookieless = (anon: string): WireBatch => {
  const b = batchOf();
  b.events.forEach((e) => (e.anon_id = anon));
  return { ...b, meta: { cookieless: true } };
};

test('cookieless batches get one visitor id per IP + user agent + project and day', async () => {
  let now = TEST_SENT_AT + 1000;
  const salt = createVisitorSalt();
  const app = await testApp({ clock: () => now, visitorSalt: salt });
  close = () => app.app.close();

  const first = await anonIdsOf(app, cookieless('tab-1'));
  // another tab of the same browser: another SDK id, the same visitor
  const second = await anonIdsOf(app, cookieless('tab-2'));
  expect(new Set([...first, ...second]).size).toBe(1);
  const id = first[0]!;
  expect(id).toMatch(/^cl_[A-Za-z0-9_-]{22}$/);

  expect(await anonIdsOf(app, cookieless('tab-1'), '203.0.113.8')).not.toContain(id);
  expect(await anonIdsOf(app, cookieless('tab-1'), undefined, 'curl/8')).not.toContain(id);
  // not cookieless: the SDK's own id is kept
  expect(new Set(await anonIdsOf(app, batchOf()))).not.toContain(id);

  // the salt never travels with the events
  const secret = await salt.saltAt(now);
  const produced = JSON.stringify(app.producer.sent);
  for (const enc of ['hex', 'base64', 'base64url'] as const)
    expect(produced).not.toContain(secret.toString(enc));

  // after midnight UTC the same visitor gets a new, unlinkable id
  now = (Math.floor(now / DAY) + 1) * DAY + 5;
  const nextDay = await anonIdsOf(app, { ...cookieless('tab-1'), sent_at: now }, '203.0.113.7');
  expect(new Set(nextDay).size).toBe(1);
  expect(nextDay[0]).not.toBe(id);
});

test('the salt rotates at midnight UTC and is random per process without Redis', async () => {
  const a = createVisitorSalt();
  const midnight = Date.UTC(2026, 11, 3);
  const evening = await a.saltAt(midnight - 1);
  expect(await a.saltAt(midnight - DAY)).toEqual(evening);
  expect(await a.saltAt(midnight)).not.toEqual(evening);
  expect(await createVisitorSalt().saltAt(midnight)).not.toEqual(await a.saltAt(midnight));
});
