import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkEnrichedEvent,
  HEADERS,
  LIMITS,
  type ErrorBody,
  type WireEvent,
} from '@gosight/schema';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestorApp } from './app';
import {
  batchOf,
  CHROME_UA,
  testApp,
  TEST_ORIGIN,
  TEST_PROJECT,
  TEST_SENT_AT,
  validEvents,
  type RecordingProducer,
} from './test-support';

let current: (IngestorApp & { producer: RecordingProducer }) | undefined;
async function start(overrides: Parameters<typeof testApp>[0] = {}) {
  current = await testApp(overrides);
  return current;
}
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

const post = (
  app: IngestorApp['app'],
  payload: string | Buffer,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      'user-agent': CHROME_UA,
      origin: TEST_ORIGIN,
      ...headers,
    },
    payload,
  });

const errorOf = (body: string) => (JSON.parse(body) as ErrorBody).error;
const messagesOn = (producer: RecordingProducer, topic: string) =>
  producer.sent.filter((t) => t.topic === topic).flatMap((t) => t.messages);
/** The enriched events on the raw topic, taken out of their per-session array messages. */
const rawEvents = (producer: RecordingProducer) =>
  messagesOn(producer, 'gosight.events.raw').flatMap(
    (m) => JSON.parse(m.value) as Record<string, unknown>[],
  );

describe('POST /v1/batch', () => {
  it('answers 202 with counts and produces one message per session: its enriched events in order', async () => {
    const { app, producer } = await start();
    const res = await post(app, JSON.stringify(batchOf()));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 7, quarantined: 0 });
    const raw = messagesOn(producer, 'gosight.events.raw');
    expect(raw).toHaveLength(1);
    const [message] = raw;
    expect(message?.key).toBe('s_3f9c2a');
    expect(message?.headers).toEqual({
      [HEADERS.schema]: '1',
      [HEADERS.project]: TEST_PROJECT,
      [HEADERS.events]: '7',
    });
    const events = JSON.parse(message?.value ?? '[]') as unknown[];
    expect(events.map((e) => (e as { event_id: string }).event_id)).toEqual(
      batchOf().events.map((e) => e.id),
    );
    for (const enriched of events) {
      const checked = checkEnrichedEvent(enriched);
      expect(checked.ok ? 'valid' : checked.reason).toBe('valid');
    }
  });

  it('splits a batch that mixes sessions into one message per session, keyed by it', async () => {
    const { app, producer } = await start();
    const other = { ...validEvents.click, id: crypto.randomUUID(), session_id: 's_other' };
    const batch = batchOf([validEvents.page_view, other, validEvents.click]);
    const res = await post(app, JSON.stringify(batch));
    expect(res.json()).toEqual({ accepted: 3, quarantined: 0 });
    const raw = messagesOn(producer, 'gosight.events.raw');
    const byKey: Record<string, string[]> = {};
    for (const m of raw) {
      byKey[m.key ?? ''] = (JSON.parse(m.value) as { event_id: string }[]).map((e) => e.event_id);
    }
    expect(byKey).toEqual({
      s_3f9c2a: [validEvents.page_view.id, validEvents.click.id],
      s_other: [other.id],
    });
  });

  it('enriches: received_at, skew-corrected ts, client_ts, anonymised IP, user agent', async () => {
    const { app, producer } = await start();
    await post(app, JSON.stringify(batchOf([validEvents.click])), {});
    const [event] = rawEvents(producer);
    // client clock 5 s behind send: sent_at = ts + 5 s, received 1 s after sent_at.
    expect(event).toMatchObject({
      client_ts: validEvents.click.ts,
      ts: validEvents.click.ts + 1000,
      sent_at: TEST_SENT_AT,
      received_at: TEST_SENT_AT + 1000,
      ip: '127.0.0.0',
      browser: 'Chrome',
      os: 'Windows',
      device_type: 'desktop',
      is_bot: false,
      path: '/products/42',
    });
  });

  it('accepts application/json and gzip-encoded bodies', async () => {
    const { app, producer } = await start();
    const json = await post(app, JSON.stringify(batchOf()), { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(202);
    const gz = await post(app, gzipSync(JSON.stringify(batchOf())), { 'content-encoding': 'gzip' });
    expect(gz.statusCode).toBe(202);
    expect(gz.json()).toEqual({ accepted: 7, quarantined: 0 });
    expect(rawEvents(producer)).toHaveLength(14);
  });

  it('quarantines a bad event to the DLQ with step, reason and raw text, and accepts the rest', async () => {
    const { app, producer } = await start();
    const bad = { ...validEvents.scroll, payload: { depth: 140 } };
    const res = await post(app, JSON.stringify(batchOf([validEvents.page_view, bad as WireEvent])));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, quarantined: 1 });
    const [dlq] = messagesOn(producer, 'gosight.events.dlq');
    const record = JSON.parse(dlq?.value ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({
      step: 'validate-event',
      source: 'ingestor',
      project_id: TEST_PROJECT,
    });
    expect(record.reason).toMatch(/events\.1\.payload\.depth.*too_big/);
    expect(JSON.parse(String(record.raw))).toEqual(bad);
    expect(dlq?.key).toBe('s_3f9c2a');
  });

  it('answers 400 naming path and rule for a malformed batch', async () => {
    const { app, producer } = await start();
    const res = await post(app, JSON.stringify({ ...batchOf(), sent_at: 'yesterday' }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 'BATCH_INVALID', path: 'sent_at' });
    expect(errorOf(res.body).message).toMatch(/invalid_type/);
    expect(producer.sent).toHaveLength(0);
  });

  it('answers 401 for an unknown project and 403 for an origin the project does not allow', async () => {
    const { app } = await start();
    const unknown = await post(app, JSON.stringify(batchOf(undefined, 'pk_nope')));
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(unknown.body).code).toBe('PROJECT_UNKNOWN');
    const forbidden = await post(app, JSON.stringify(batchOf()), {
      origin: 'https://evil.example.net',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(errorOf(forbidden.body).code).toBe('ORIGIN_FORBIDDEN');
    expect(forbidden.headers['access-control-allow-origin']).toBeUndefined();
    // allowed through the project's wildcard, and the grant is echoed back
    const wildcard = await post(app, JSON.stringify(batchOf()), {
      origin: 'https://blog.example.org',
    });
    expect(wildcard.statusCode).toBe(202);
    expect(wildcard.headers['access-control-allow-origin']).toBe('https://blog.example.org');
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const { app } = await start();
    const ok = await app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: TEST_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(TEST_ORIGIN);
    expect(String(ok.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(ok.headers['access-control-allow-headers'])).toContain('content-type');
    // pk_limited allows '*', so build an app whose projects are all exact
    await app.close();
    const { createProjectRegistry, projectListSchema } = await import('./projects');
    const strict = await start({
      projects: createProjectRegistry(
        projectListSchema.parse([{ key: TEST_PROJECT, origins: [TEST_ORIGIN] }]),
      ),
    });
    const denied = await strict.app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 413 above 64 KiB, also when the limit is only crossed after gunzip', async () => {
    const { app } = await start();
    const big = await post(app, 'x'.repeat(LIMITS.maxBodyBytes + 1));
    expect(big.statusCode).toBe(413);
    expect(errorOf(big.body).code).toBe('BODY_TOO_LARGE');
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(LIMITS.maxBodyBytes);
    const res = await post(app, bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
  });

  it('answers 429 with Retry-After past the project rate limit, per client IP', async () => {
    const { app } = await start();
    const send = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress: ip,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(batchOf(undefined, 'pk_limited')),
      });
    for (let i = 0; i < 3; i++) expect((await send('203.0.113.9')).statusCode).toBe(202);
    const limited = await send('203.0.113.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(limited.body).code).toBe('RATE_LIMITED');
    expect((await send('198.51.100.7')).statusCode).toBe(202);
    // A cross-origin page can only honour Retry-After if the header is exposed to it.
    const fromPage = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      remoteAddress: '203.0.113.9',
      headers: { 'content-type': 'text/plain', origin: TEST_ORIGIN },
      payload: JSON.stringify(batchOf(undefined, 'pk_limited')),
    });
    expect(fromPage.statusCode).toBe(429);
    expect(fromPage.headers['access-control-allow-origin']).toBe(TEST_ORIGIN);
    expect(String(fromPage.headers['access-control-expose-headers'])).toContain('Retry-After');
  });

  it('counts an IPv6 client by its /64: a new address in the same /64 is still limited', async () => {
    const { app } = await start();
    const send = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress: ip,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(batchOf(undefined, 'pk_limited')),
      });
    for (const host of ['1', '2', 'abcd:ef01:2345']) {
      expect((await send(`2001:db8:1:2::${host}`)).statusCode).toBe(202);
    }
    const sameNetwork = await send('2001:db8:1:2:ffff:ffff:ffff:fffe');
    expect(sameNetwork.statusCode).toBe(429);
    expect(errorOf(sameNetwork.body).code).toBe('RATE_LIMITED');
    expect((await send('2001:db8:1:3::1')).statusCode).toBe(202);
  });

  it('lets a bare wildcard origin in over https on the default port only', async () => {
    const { createProjectRegistry, projectListSchema } = await import('./projects');
    const { app } = await start({
      projects: createProjectRegistry(
        projectListSchema.parse([
          { key: TEST_PROJECT, origins: ['*.shop.test', 'http://*.dev.test:8080'] },
        ]),
      ),
    });
    const from = async (origin: string) =>
      (await post(app, JSON.stringify(batchOf()), { origin })).statusCode;
    expect(await from('https://x.shop.test')).toBe(202);
    expect(await from('http://x.shop.test')).toBe(403);
    expect(await from('http://x.shop.test:444')).toBe(403);
    expect(await from('https://x.shop.test:444')).toBe(403);
    expect(await from('http://a.dev.test:8080')).toBe(202);
    expect(await from('https://a.dev.test:8080')).toBe(403);
    expect(await from('http://a.dev.test')).toBe(403);
  });

  it('answers 503 with Retry-After when the bus buffer is full, and readyz says not ready', async () => {
    const { app, producer } = await start();
    producer.failWith = 'BUS_BUFFER_FULL';
    const res = await post(app, JSON.stringify(batchOf()));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(errorOf(res.body).code).toBe('BUS_BUFFER_FULL');
    // The body is released before the bus answers; the batch's events are still counted.
    expect(await current?.metrics.registry.metrics()).toContain(
      `gosight_ingestor_events_total{outcome="rejected",reason="BUS_BUFFER_FULL",project="${TEST_PROJECT}"} ${batchOf().events.length}`,
    );
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    producer.failWith = undefined;
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('sends 202 only once the bus acknowledged', async () => {
    const { app, producer } = await start();
    producer.hold = true;
    let answered = false;
    const pending = post(app, JSON.stringify(batchOf())).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    producer.release();
    expect((await pending).statusCode).toBe(202);
  });

  it('uses X-Forwarded-For only from trusted proxies', async () => {
    const { app, producer } = await start({ trustedProxies: ['10.0.0.0/8'], ipMode: 'full' });
    const from = async (remoteAddress: string) => {
      producer.sent.length = 0;
      await app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress,
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '8.8.8.8' },
        payload: JSON.stringify(batchOf([validEvents.page_view])),
      });
      return rawEvents(producer)[0]?.ip;
    };
    expect(await from('10.1.2.3')).toBe('8.8.8.8');
    expect(await from('203.0.113.50')).toBe('203.0.113.50');
  });

  it('stores no IP in mode none and flags or drops bots per project', async () => {
    const { app, producer } = await start({ ipMode: 'none' });
    const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    await post(app, JSON.stringify(batchOf([validEvents.page_view])), { 'user-agent': bot });
    const [flagged] = rawEvents(producer);
    expect(flagged).toMatchObject({ ip: '', is_bot: true, device_type: 'bot' });
    const dropped = await post(app, JSON.stringify(batchOf([validEvents.page_view], 'pk_nobots')), {
      'user-agent': bot,
    });
    expect(dropped.json()).toEqual({ accepted: 0, quarantined: 0 });
    expect(rawEvents(producer)).toHaveLength(1);
  });
});

describe('other routes', () => {
  it('healthz and readyz answer; metrics count, but not on the public port', async () => {
    const { app, metrics: registry } = await start();
    await post(app, JSON.stringify(batchOf()));
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    const exposed = await app.inject('/metrics');
    expect(exposed.statusCode).toBe(404);
    expect(errorOf(exposed.body).code).toBe('NOT_FOUND');
    const metrics = { body: await registry.registry.metrics() };
    expect(metrics.body).toContain(
      `gosight_ingestor_events_total{outcome="accepted",reason="",project="${TEST_PROJECT}"} 7`,
    );
    expect(metrics.body).toContain(
      'gosight_ingestor_requests_total{route="/v1/batch",status="202"} 1',
    );
    expect(metrics.body).toContain('gosight_ingestor_buffer_events 0');
    expect(metrics.body).toContain('gosight_ingestor_produce_seconds_bucket');
  });

  it('serves the SDK with ETag, cache headers and 304 at a configurable path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-sdk-'));
    const file = join(dir, 'gosight.js');
    writeFileSync(file, '(function(){/* sdk */})();');
    const { app } = await start({ sdk: { path: '/a/t.js', file } });
    const res = await app.inject('/a/t.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('(function(){/* sdk */})();');
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toContain('max-age=');
    const etag = String(res.headers.etag);
    const again = await app.inject({ url: '/a/t.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject('/sdk/gosight.js')).statusCode).toBe(404);
  });

  it('gives the gzip and the plain SDK their own ETag, each revalidating only itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gosight-sdk-'));
    const file = join(dir, 'gosight.js');
    writeFileSync(file, `(function(){${'/* sdk */'.repeat(50)}})();`);
    const { app } = await start({ sdk: { path: '/sdk/gosight.js', file } });
    const plain = await app.inject('/sdk/gosight.js');
    const gzip = await app.inject({
      url: '/sdk/gosight.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(gzip.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(gzip.headers.etag).not.toBe(plain.headers.etag);
    for (const res of [plain, gzip]) expect(res.headers['x-content-type-options']).toBe('nosniff');
    // A client holding the gzip tag that now asks for plain gets the plain bytes, not a 304.
    const crossed = await app.inject({
      url: '/sdk/gosight.js',
      headers: { 'if-none-match': String(gzip.headers.etag) },
    });
    expect(crossed.statusCode).toBe(200);
    expect(crossed.body).toBe(plain.body);
    const revalidated = await app.inject({
      url: '/sdk/gosight.js',
      headers: { 'if-none-match': String(gzip.headers.etag), 'accept-encoding': 'gzip' },
    });
    expect(revalidated.statusCode).toBe(304);
  });

  it('sends X-Content-Type-Options: nosniff on every API answer', async () => {
    const { app } = await start();
    const answers = [
      await post(app, JSON.stringify(batchOf())),
      await post(app, '{'),
      await app.inject('/healthz'),
      await app.inject('/readyz'),
      await app.inject('/nope'),
      await app.inject('/sdk/gosight.js'),
      await app.inject({ method: 'OPTIONS', url: '/v1/batch', headers: { origin: TEST_ORIGIN } }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([202, 400, 200, 200, 404, 404, 204]);
    for (const res of answers) expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a URL it cannot decode with 400 BAD_URL in the error format', async () => {
    const { app } = await start();
    for (const url of ['/%E0%A4%A', '/v1/%ZZbatch']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(errorOf(res.body)).toEqual({
        code: 'BAD_URL',
        message: 'the URL is not valid (bad percent-encoding)',
      });
    }
  });

  it('answers 404 with a JSON error saying how to build the SDK when it is missing', async () => {
    const { app } = await start();
    const res = await app.inject('/sdk/gosight.js');
    expect(res.statusCode).toBe(404);
    expect(errorOf(res.body)).toMatchObject({ code: 'SDK_NOT_BUILT' });
    expect(errorOf(res.body).message).toContain('npm run build -w sdk');
  });

  it('answers 404 JSON for unknown routes and 503 for batches after shutdown began', async () => {
    const built = await start();
    expect(errorOf((await built.app.inject('/nope')).body).code).toBe('NOT_FOUND');
    built.beginShutdown();
    const res = await post(built.app, JSON.stringify(batchOf()));
    expect(res.statusCode).toBe(503);
    expect(errorOf(res.body).code).toBe('SHUTTING_DOWN');
    expect((await built.app.inject('/readyz')).statusCode).toBe(503);
  });
});
