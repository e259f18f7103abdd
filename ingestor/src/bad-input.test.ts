import type { ErrorBody } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputCorpus } from './bad-input-corpus';
import { batchOf, testApp } from './test-support';

const corpus = badInputCorpus();
let built: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  built = await testApp();
});
afterAll(async () => {
  await built.app.close();
});

describe('bad-input corpus', () => {
  it('has at least 200 cases across every family', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((c) => c.family)).size).toBeGreaterThanOrEqual(14);
  });

  it.each(corpus.map((c) => [`${c.family}: ${c.name}`, c] as const))('%s', async (_, input) => {
    const res = await built.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: input.headers,
      payload: input.body,
      ...(input.remoteAddress ? { remoteAddress: input.remoteAddress } : {}),
    });
    expect(res.statusCode).toBe(input.status);
    expect(res.headers['content-type']).toContain('application/json');
    const body = JSON.parse(res.body) as ErrorBody;
    expect(body.error.code).toBe(input.code);
    expect(typeof body.error.message).toBe('string');
    expect((await built.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('produced nothing for any of them', () => {
    expect(built.producer.sent).toEqual([]);
  });
});

describe('spoofed X-Forwarded-For', () => {
  it('does not get a client past the rate limit', async () => {
    const { app } = await testApp();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress: '203.0.113.77',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': `198.51.100.${i}` },
        payload: JSON.stringify(batchOf(undefined, 'pk_limited')),
      });
      codes.push(res.statusCode);
    }
    await app.close();
    expect(codes).toEqual([202, 202, 202, 429, 429, 429]);
  });
});
