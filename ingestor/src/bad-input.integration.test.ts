import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody } from '@gosight/schema';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { badInputCorpus } from './bad-input-corpus';
import { readTopic, startKafkaTestApp, type KafkaTestApp } from './bus/kafka-test-support';
import { batchOf } from './test-support';

let kafka: KafkaTestApp;
let port: number;

beforeAll(async () => {
  kafka = await startKafkaTestApp('bad', { maxBufferedEvents: 10_000, ackTimeoutMs: 10_000 });
  await kafka.built.app.listen({ port: 0, host: '127.0.0.1' });
  port = (kafka.built.app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await kafka?.close();
});

/** One request over a real socket; the body is written as raw bytes. */
function send(headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/batch',
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            type: String(res.headers['content-type']),
          }),
        );
      },
    );
    // The server may answer 413 and close before a large body is written.
    req.on('error', reject);
    req.end(body);
  });
}

it('answers every bad input over HTTP with its 4xx and a JSON error, stays up, and produces none of it', async () => {
  const corpus = badInputCorpus();
  const failures: string[] = [];
  for (const input of corpus) {
    const res = await send(input.headers, input.body).catch((error: unknown) => ({
      status: -1,
      body: String(error),
      type: '',
    }));
    let code = '';
    try {
      code = (JSON.parse(res.body) as ErrorBody).error.code;
    } catch {
      code = `not JSON: ${res.body.slice(0, 60)}`;
    }
    if (
      res.status !== input.status ||
      code !== input.code ||
      !res.type.includes('application/json')
    ) {
      failures.push(
        `${input.family}: ${input.name} → ${res.status} ${code} (wanted ${input.status} ${input.code})`,
      );
    }
  }
  expect(failures).toEqual([]);
  const health = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
  expect(health).toBe(200);

  // A marker batch after the corpus: once it is read back, anything produced before it would be too.
  const marker = batchOf();
  const accepted = await send(
    { 'content-type': 'text/plain' },
    Buffer.from(JSON.stringify(marker)),
  );
  expect(accepted.status).toBe(202);
  const idsIn = (messages: { value: string }[]) =>
    messages.flatMap((m) => (JSON.parse(m.value) as { event_id: string }[]).map((e) => e.event_id));
  const raw = await readTopic(
    kafka.brokers,
    kafka.topics.raw,
    (m) => idsIn(m).length >= marker.events.length,
    20_000,
  );
  expect(idsIn(raw).sort()).toEqual(marker.events.map((e) => e.id).sort());
  const dlq = await readTopic(kafka.brokers, kafka.topics.dlq, () => false, 1_500);
  expect(dlq).toEqual([]);
});
