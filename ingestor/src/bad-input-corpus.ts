/**
 * The bad-input corpus: ≥ 200 requests, generated as families × variations,
 * each with the 4xx status and error code it must get. Used by the unit test
 * (app.inject) and the integration test (real sockets, real Kafka: nothing
 * from these may reach the raw topic).
 */
import { gzipSync } from 'node:zlib';
import type { WireEvent } from '@gosight/schema';
import type { ErrorCode } from './errors';
import { batchOf, TEST_ORIGIN, validEvents } from './test-support';

export interface BadInput {
  family: string;
  name: string;
  headers: Record<string, string>;
  body: Buffer;
  status: number;
  code: ErrorCode;
  /** Sent from this client address (inject only; over sockets it is 127.0.0.1). */
  remoteAddress?: string;
}

const TEXT = { 'content-type': 'text/plain;charset=UTF-8', origin: TEST_ORIGIN };
const good = () => JSON.stringify(batchOf());
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Generates the corpus (deterministic). */
export function badInputCorpus(): BadInput[] {
  const cases: BadInput[] = [];
  const add = (
    family: string,
    name: string,
    body: Buffer | string,
    status: number,
    code: ErrorCode,
    headers: Record<string, string> = TEXT,
  ) => cases.push({ family, name, headers, body: Buffer.from(body), status, code });

  // Truncated JSON: a valid batch cut at 30 points.
  const whole = good();
  for (let i = 0; i < 30; i++) {
    const cut = Math.floor(((i + 1) * whole.length) / 31);
    add('truncated', `cut at ${cut}`, whole.slice(0, cut), 400, 'BODY_INVALID_JSON');
  }

  // Not JSON at all.
  for (const text of [
    'hello',
    '{project:1}',
    "{'a':1}",
    '{"a":1,}',
    '[1,2',
    'NaN',
    '{"a":01}',
    '\u0000',
    '{"a":"\u0001"}',
    'undefined',
  ]) {
    add('not-json', JSON.stringify(text), text, 400, 'BODY_INVALID_JSON');
  }

  // Valid JSON, wrong shape or types in the envelope.
  const envelope = batchOf();
  const wrong: [string, unknown][] = [
    ['null', null],
    ['true', true],
    ['number', 42],
    ['string', 'batch'],
    ['array', [envelope]],
    ['empty object', {}],
    ['project number', { ...envelope, project: 7 }],
    ['project null', { ...envelope, project: null }],
    ['project empty', { ...envelope, project: '' }],
    ['project array', { ...envelope, project: ['pk'] }],
    ['project missing', { sent_at: envelope.sent_at, events: envelope.events }],
    ['sent_at string', { ...envelope, sent_at: '2026-11-22' }],
    ['sent_at float', { ...envelope, sent_at: 1.5e12 + 0.5 }],
    ['sent_at negative', { ...envelope, sent_at: -1 }],
    ['sent_at 1970', { ...envelope, sent_at: 0 }],
    ['sent_at 2200', { ...envelope, sent_at: Date.UTC(2200, 0, 1) }],
    ['sent_at missing', { project: envelope.project, events: envelope.events }],
    ['events object', { ...envelope, events: { 0: validEvents.click } }],
    ['events string', { ...envelope, events: 'click' }],
    ['events empty', { ...envelope, events: [] }],
    ['events null', { ...envelope, events: null }],
    ['event string', { ...envelope, events: ['click'] }],
    ['event number', { ...envelope, events: [1] }],
    ['event null', { ...envelope, events: [null] }],
    ['event array', { ...envelope, events: [[validEvents.click]] }],
    ['501 events', { ...envelope, events: Array.from({ length: 501 }, () => ({ t: 1 })) }],
    ['meta string', { ...envelope, meta: 'x' }],
    ['meta.dropped negative', { ...envelope, meta: { dropped: -1 } }],
    ['meta.sdk long', { ...envelope, meta: { sdk: 'v'.repeat(33) } }],
  ];
  for (const [name, value] of wrong) add('wrong-type', name, json(value), 400, 'BATCH_INVALID');

  // Huge strings: over a field limit but under the body limit → 400; over the body limit → 413.
  for (const n of [65, 100, 1000, 10_000, 60_000]) {
    add(
      'huge-string',
      `project of ${n} chars`,
      json({ ...envelope, project: 'p'.repeat(n) }),
      400,
      'BATCH_INVALID',
    );
  }
  for (const n of [70_000, 100_000, 500_000, 1_000_000]) {
    const event = {
      ...validEvents.click,
      payload: { ...validEvents.click.payload, text: 't'.repeat(n) },
    };
    add(
      'huge-string',
      `click text of ${n} chars`,
      json(batchOf([event as WireEvent])),
      413,
      'BODY_TOO_LARGE',
    );
  }
  for (const n of [70_000, 200_000]) {
    add(
      'huge-string',
      `unknown key of ${n} chars`,
      json({ ...envelope, junk: 'j'.repeat(n) }),
      413,
      'BODY_TOO_LARGE',
    );
  }

  // Deep nesting, in the payload, in an unknown key, at the root.
  for (const depth of [9, 10, 12, 16, 32, 64, 128, 1000, 10_000]) {
    const nest = (inner: string) => '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
    add(
      'deep',
      `payload ${depth}`,
      good().replace('"payload":{"nav":"load"', `"payload":{"nav":"load","x":${nest('1')}`),
      400,
      'BODY_TOO_DEEP',
    );
    add(
      'deep',
      `unknown key ${depth}`,
      good().replace('{"project"', `{"x":${nest('1')},"project"`),
      400,
      'BODY_TOO_DEEP',
    );
    add(
      'deep',
      `arrays ${depth}`,
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
      400,
      'BODY_TOO_DEEP',
    );
  }
  add('deep', 'arrays 30000', `${'['.repeat(30_000)}${']'.repeat(30_000)}`, 400, 'BODY_TOO_DEEP');

  // Invalid UTF-8 byte sequences at several places of a valid body.
  const sequences: [string, number[]][] = [
    ['0xff', [0xff]],
    ['0xfe', [0xfe]],
    ['lone continuation', [0x80]],
    ['overlong slash', [0xc0, 0xaf]],
    ['overlong nul', [0xc0, 0x80]],
    ['truncated 3-byte', [0xe2, 0x82]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xf5', [0xf5, 0x80, 0x80, 0x80]],
    ['truncated 4-byte', [0xf0, 0x9f, 0x98]],
  ];
  for (const [name, bytes] of sequences) {
    for (const where of ['title', 'project', 'end'] as const) {
      const text = good();
      const at =
        where === 'end' ? text.length : text.indexOf(where === 'title' ? 'Blue mug' : 'pk_test');
      const body = Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from(bytes),
        Buffer.from(text.slice(at)),
      ]);
      add('utf8', `${name} in ${where}`, body, 400, 'BODY_INVALID_UTF8');
    }
  }

  // Prototype keys anywhere, also spelled with JSON escapes.
  for (const key of ['__proto__', 'constructor', '__pro\\u0074o__', '\\u0063onstructor']) {
    const member = `"${key}":{"polluted":true}`;
    add(
      'proto',
      `${key} at root`,
      good().replace('{"project"', `{${member},"project"`),
      400,
      'BODY_FORBIDDEN_KEY',
    );
    add(
      'proto',
      `${key} in event`,
      good().replace('"type":"page_view"', `${member},"type":"page_view"`),
      400,
      'BODY_FORBIDDEN_KEY',
    );
    add(
      'proto',
      `${key} in payload`,
      good().replace('"payload":{"nav":"load"', `"payload":{${member},"nav":"load"`),
      400,
      'BODY_FORBIDDEN_KEY',
    );
    add(
      'proto',
      `${key} in props`,
      good().replace('"props":{"sku"', `"props":{${member},"sku"`),
      400,
      'BODY_FORBIDDEN_KEY',
    );
  }

  // Gzip: bombs stop at the decoded limit; corrupt streams and other encodings are refused.
  const gz = { ...TEXT, 'content-encoding': 'gzip' };
  for (const size of [65 * 1024, 128 * 1024, 1024 ** 2, 8 * 1024 ** 2, 32 * 1024 ** 2]) {
    add('gzip-bomb', `${size} zero bytes`, gzipSync(Buffer.alloc(size)), 413, 'BODY_TOO_LARGE', gz);
    add(
      'gzip-bomb',
      `${size} bytes of JSON`,
      gzipSync(`{"project":"${'a'.repeat(size)}"}`),
      413,
      'BODY_TOO_LARGE',
      gz,
    );
  }
  const valid = gzipSync(good());
  add(
    'gzip-corrupt',
    'truncated stream',
    valid.subarray(0, valid.length >> 1),
    400,
    'BODY_BAD_ENCODING',
    gz,
  );
  add('gzip-corrupt', 'not gzip', good(), 400, 'BODY_BAD_ENCODING', gz);
  add(
    'gzip-corrupt',
    'flipped bytes',
    Buffer.from(valid.map((b, i) => (i > 10 && i < 20 ? b ^ 0xff : b))),
    400,
    'BODY_BAD_ENCODING',
    gz,
  );
  add('gzip-corrupt', 'header only', valid.subarray(0, 10), 400, 'BODY_BAD_ENCODING', gz);
  for (const encoding of ['br', 'deflate', 'compress', 'zstd', 'gzip, br']) {
    add('encoding', encoding, good(), 400, 'BODY_BAD_ENCODING', {
      ...TEXT,
      'content-encoding': encoding,
    });
  }

  // 2 MB bodies, whatever they contain.
  const twoMb = 2 * 1024 * 1024;
  add('2mb', 'spaces', Buffer.alloc(twoMb, 0x20), 413, 'BODY_TOO_LARGE');
  add('2mb', 'valid prefix', good() + ' '.repeat(twoMb), 413, 'BODY_TOO_LARGE');
  add('2mb', 'as json', Buffer.alloc(twoMb, 0x20), 413, 'BODY_TOO_LARGE', {
    ...TEXT,
    'content-type': 'application/json',
  });
  add(
    '2mb',
    'events',
    json(batchOf(Array.from({ length: 5000 }, () => validEvents.click))),
    413,
    'BODY_TOO_LARGE',
  );

  // Empty bodies.
  add('empty', 'text/plain', '', 400, 'BODY_EMPTY');
  add('empty', 'application/json', '', 400, 'BODY_EMPTY', {
    ...TEXT,
    'content-type': 'application/json',
  });
  add('empty', 'gzip of nothing', gzipSync(''), 400, 'BODY_EMPTY', gz);

  // Content types other than text/plain and application/json.
  for (const type of [
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/html',
    'application/xml',
    'application/octet-stream',
    'image/png',
    'text/csv',
    'application/jsonx',
    'application/ld+json',
    'text/javascript',
  ]) {
    add('content-type', type, good(), 400, 'CONTENT_TYPE_UNSUPPORTED', {
      ...TEXT,
      'content-type': type,
    });
  }
  add('content-type', 'none', good(), 400, 'CONTENT_TYPE_UNSUPPORTED', { origin: TEST_ORIGIN });

  // Unknown projects and origins.
  for (const project of [
    'pk_unknown',
    'PK_TEST_SHOP',
    'pk_test_shop ',
    ' pk_test_shop',
    'pk_test_sho',
  ]) {
    add('project', project, json(batchOf(undefined, project)), 401, 'PROJECT_UNKNOWN');
  }
  for (const origin of [
    'https://evil.example.net',
    'http://shop.example.com',
    'https://shop.example.com.evil.net',
    'https://example.org',
    'null',
  ]) {
    add('origin', origin, good(), 403, 'ORIGIN_FORBIDDEN', { ...TEXT, origin });
  }

  // Spoofed X-Forwarded-For from an untrusted client: it changes nothing (bad input stays bad).
  for (const xff of [
    '8.8.8.8',
    '127.0.0.1',
    '10.0.0.1, 8.8.8.8',
    'not-an-ip',
    '::1',
    '1.1.1.1'.repeat(100),
  ]) {
    add(
      'spoofed-xff',
      `${xff.slice(0, 30)} + unknown project`,
      json(batchOf(undefined, 'pk_spoof')),
      401,
      'PROJECT_UNKNOWN',
      { ...TEXT, 'x-forwarded-for': xff },
    );
    add(
      'spoofed-xff',
      `${xff.slice(0, 30)} + truncated`,
      whole.slice(0, 50),
      400,
      'BODY_INVALID_JSON',
      { ...TEXT, 'x-forwarded-for': xff, 'x-real-ip': xff },
    );
  }
  return cases;
}
