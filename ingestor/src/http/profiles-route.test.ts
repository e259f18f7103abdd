import { createProjectRegistry, projectListSchema } from '../projects';
import { profileRecord, type ErrorBody } from '@gosight/schema';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestorApp } from '../app';
import { testApp, TEST_ORIGIN, TEST_SENT_AT, type RecordingProducer } from '../test-support';

const SECRET = 'sk_test_0123456789abcdef0123456789';
const OTHER_SECRET = 'sk_other_0123456789abcdef01234567';
const projects = () =>
  createProjectRegistry(
    projectListSchema.parse([
      { key: 'pk_crm', origins: [TEST_ORIGIN], secret: SECRET },
      { key: 'pk_other', origins: ['*'], secret: OTHER_SECRET },
      { key: 'pk_nosecret', origins: ['*'] },
    ]),
  );

let current: (IngestorApp & { producer: RecordingProducer }) | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});
async function post(body: unknown, headers: Record<string, string> = {}) {
  current ??= await testApp({ projects: projects() });
  return current.app.inject({
    method: 'POST',
    url: '/v1/profiles',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const bearer = (secret = SECRET) => ({ authorization: `Bearer ${secret}` });
const errorOf = (response: { json: () => unknown }) => (response.json() as ErrorBody).error;
const sentProfiles = () =>
  (current?.producer.sent ?? []).flatMap((t) =>
    t.messages.map((m) => ({
      topic: t.topic,
      key: m.key,
      profiles: (JSON.parse(m.value) as { kind: string; profiles: unknown[] }).profiles,
      kind: (JSON.parse(m.value) as { kind: string }).kind,
    })),
  );

describe('POST /v1/profiles', () => {
  it('takes one profile or an array with the project secret and puts them on the raw topic', async () => {
    const one = await post(
      { user_id: 'u1', segment: 'premium', traits: { plan: 'pro' } },
      bearer(),
    );
    expect(one.statusCode).toBe(202);
    expect(one.json()).toEqual({ accepted: 1 });
    const many = await post(
      [
        { user_id: 'u2', segment: 'free' },
        { user_id: 'u3', traits: { seats: 3 }, updated_at: '2026-12-01T10:00:00Z' },
      ],
      bearer(),
    );
    expect(many.json()).toEqual({ accepted: 2 });
    const sent = sentProfiles();
    expect(sent.map((m) => [m.topic, m.key, m.kind])).toEqual([
      ['gosight.events.raw', 'profiles:pk_crm', 'profiles'],
      ['gosight.events.raw', 'profiles:pk_crm', 'profiles'],
    ]);
    expect(sent.flatMap((m) => m.profiles)).toEqual([
      {
        project_id: 'pk_crm',
        user_id: 'u1',
        source: 'server',
        segment: 'premium',
        traits: { plan: 'pro' },
        updated_at: TEST_SENT_AT + 1000,
      },
      {
        project_id: 'pk_crm',
        user_id: 'u2',
        source: 'server',
        segment: 'free',
        traits: {},
        updated_at: TEST_SENT_AT + 1000,
      },
      {
        project_id: 'pk_crm',
        user_id: 'u3',
        source: 'server',
        segment: 'unknown',
        traits: { seats: 3 },
        updated_at: Date.UTC(2026, 11, 1, 10),
      },
    ]);
    // What the processor reads back is a valid profile record.
    for (const p of sent.flatMap((m) => m.profiles)) expect(profileRecord.parse(p)).toEqual(p);
  });

  it('the secret picks the project', async () => {
    const response = await post({ user_id: 'u1', segment: 'x' }, bearer(OTHER_SECRET));
    expect(response.statusCode).toBe(202);
    expect(sentProfiles()[0]?.profiles).toEqual([
      expect.objectContaining({ project_id: 'pk_other', user_id: 'u1' }),
    ]);
  });

  it('refuses a missing, malformed or wrong secret with 401 and stores nothing', async () => {
    const body = { user_id: 'u1', segment: 'x' };
    const missing = await post(body);
    expect(missing.statusCode).toBe(401);
    expect(errorOf(missing).code).toBe('SECRET_MISSING');
    const basic = await post(body, { authorization: `Basic ${SECRET}` });
    expect([basic.statusCode, errorOf(basic).code]).toEqual([401, 'SECRET_MISSING']);
    const wrong = await post(body, bearer(`${SECRET}x`));
    expect([wrong.statusCode, errorOf(wrong).code]).toEqual([401, 'SECRET_INVALID']);
    // The public key is not a secret.
    const publicKey = await post(body, bearer('pk_crm'));
    expect([publicKey.statusCode, errorOf(publicKey).code]).toEqual([401, 'SECRET_INVALID']);
    expect(current?.producer.sent).toEqual([]);
  });

  it('refuses any request from a browser, even with the right secret (403)', async () => {
    const body = { user_id: 'u1', segment: 'x' };
    for (const headers of [
      { origin: TEST_ORIGIN },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-origin' },
    ]) {
      const response = await post(body, { ...bearer(), ...headers });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('PROFILES_FROM_BROWSER');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(current?.producer.sent).toEqual([]);
  });

  it('refuses the whole request when a profile is bad, naming each one (400)', async () => {
    const response = await post(
      [
        { user_id: 'ok', segment: 'a' },
        { user_id: '', segment: 'a' },
        { user_id: 'u', segmnet: 'typo' },
        { user_id: 'u', traits: { nested: { no: 1 } } },
        { user_id: 'u', updated_at: 'yesterday' },
      ],
      bearer(),
    );
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('PROFILES_INVALID');
    expect(error.message).toMatch(/^4 of 5 profiles are invalid, none was stored: 1\.user_id: /);
    expect(error.message).toContain('2: Unrecognized key: "segmnet"');
    expect(error.message).toContain('3.traits.nested');
    expect(error.message).toContain('4.updated_at');
    expect(current?.producer.sent).toEqual([]);
    const tooMany = await post(
      Array.from({ length: 1001 }, (_, i) => ({ user_id: `u${i}` })),
      bearer(),
    );
    expect(errorOf(tooMany).message).toBe('at most 1000 profiles a request (got 1001)');
    const empty = await post([], bearer());
    expect([empty.statusCode, errorOf(empty).code]).toEqual([400, 'PROFILES_INVALID']);
    const plain = await post('{"user_id":"u"}', { ...bearer(), 'content-type': 'text/plain' });
    expect([plain.statusCode, errorOf(plain)]).toEqual([
      400,
      { code: 'CONTENT_TYPE_UNSUPPORTED', message: 'POST /v1/profiles takes application/json' },
    ]);
    const notJson = await post('{nope', bearer());
    expect([notJson.statusCode, errorOf(notJson).code]).toEqual([400, 'BODY_INVALID_JSON']);
  });

  it('answers 503 with Retry-After when the bus cannot take the profiles', async () => {
    current = await testApp({ projects: projects() });
    current.producer.failWith = 'BUS_BUFFER_FULL';
    const response = await post({ user_id: 'u1' }, bearer());
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
  });
});

describe('GOSIGHT_PROJECTS secrets', () => {
  it('refuses short, shared or public-key secrets', () => {
    const parse = (list: unknown) => projectListSchema.safeParse(list).success;
    expect(parse([{ key: 'pk', origins: ['*'], secret: 'short' }])).toBe(false);
    expect(
      parse([
        { key: 'pk_a', origins: ['*'], secret: SECRET },
        { key: 'pk_b', origins: ['*'], secret: SECRET },
      ]),
    ).toBe(false);
    const longKey = 'pk_0123456789abcdef0123456789';
    expect(
      parse([
        { key: longKey, origins: ['*'] },
        { key: 'pk_b', origins: ['*'], secret: longKey },
      ]),
    ).toBe(false);
    expect(parse([{ key: 'pk', origins: ['*'], secret: SECRET }])).toBe(true);
  });
});
