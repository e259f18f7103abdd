/**
 * Issue 13 §4 on a real socket (app.inject has none): a stalled body is
 * closed within the request timeout, idle sockets cannot hold the process,
 * and /healthz answers throughout.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestorApp } from '../app';
import { overflowOf } from './connection-guard';
import type { ServerLimits } from './server-limits';
import { batchOf, testApp, type RecordingProducer } from '../test-support';

let current: IngestorApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await current?.app.close();
  current = undefined;
});

async function listening(limits: Partial<ServerLimits>): Promise<{ port: number }> {
  current = await testApp({ serverLimits: limits });
  await current.app.listen({ host: '127.0.0.1', port: 0 });
  const address = current.app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0 };
}

/** A raw client: what it received, and when (ms after connecting) the server closed it. */
function rawClient(port: number, send?: string) {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (send !== undefined) socket.write(send);
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) =>
    socket.once('close', () => resolve({ text: received, afterMs: Date.now() - started })),
  );
  return { socket, connected, closed, received: () => received };
}

const healthz = async (port: number) => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: await res.text() };
};

/** Headers and the start of a body, then nothing: a request in flight until the timeout. */
const STALLED_BODY =
  'POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"project":';

/** Lets accepted sockets and their first bytes reach the server. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** A value of the app's metrics, e.g. `gosight_ingestor_open_connections`. */
async function metric(series: string): Promise<number> {
  const text = (await current?.metrics.registry.metrics()) ?? '';
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? NaN);
}

const postBatch = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(batchOf()),
  });

describe('slow bodies and idle sockets', () => {
  it('closes a stalled body within the request timeout with a 408, answering /healthz meanwhile', async () => {
    const { port } = await listening({ requestTimeoutMs: 600 });
    const stalled = rawClient(port, STALLED_BODY);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await healthz(port)).toEqual({ status: 200, body: '{"status":"ok"}' });
    const { text, afterMs } = await stalled.closed;
    expect(afterMs).toBeGreaterThanOrEqual(550);
    expect(afterMs).toBeLessThan(5_000); // far below Node's 30 s default check interval
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"code":"REQUEST_TIMEOUT"');
    expect(await healthz(port)).toMatchObject({ status: 200 });
  });

  it('does not cut a request that arrived in time and waits longer for the bus', async () => {
    const { port } = await listening({ requestTimeoutMs: 600 });
    const producer = (current as IngestorApp & { producer: RecordingProducer }).producer;
    producer.hold = true;
    const answer = postBatch(port);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    producer.release();
    expect((await answer).status).toBe(202);
  });

  it('closes a socket that never sends a request, and one that stops inside its headers', async () => {
    const { port } = await listening({ requestTimeoutMs: 600 });
    const silent = rawClient(port);
    const halfHeaders = rawClient(port, 'POST /v1/batch HTTP/1.1\r\nHost: x\r\n');
    for (const client of [silent, halfHeaders]) {
      const { afterMs } = await client.closed;
      expect(afterMs).toBeLessThan(5_000); // far below Node's 30 s default check interval
    }
  });

  it('answers what Node cannot parse in the error format: bad HTTP 400, oversized headers 431', async () => {
    const { port } = await listening({});
    const garbage = await rawClient(port, 'HELLO\r\n\r\n').closed;
    expect(garbage.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage.text).toContain('{"error":{"code":"BAD_REQUEST"');
    const huge = await rawClient(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ).closed;
    expect(huge.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge.text).toContain('{"error":{"code":"HEADERS_TOO_LARGE"');
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { port } = await listening({ keepAliveTimeoutMs: 300 });
    const client = rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const { text, afterMs } = await client.closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    // Node closes 1 s after the advertised Keep-Alive timeout, so clients give up first.
    expect(afterMs).toBeGreaterThanOrEqual(300);
    expect(afterMs).toBeLessThan(5_000);
  });

  it('idle sockets cannot crowd out visitors: at the cap the oldest idle one is closed', async () => {
    const { port } = await listening({ maxConnections: 5 });
    const idle = Array.from({ length: 20 }, () => rawClient(port));
    await Promise.all(idle.map((client) => client.connected));
    await settle();
    expect(await metric('gosight_ingestor_open_connections')).toBe(5);
    // The oldest were closed to make room, the newest are still open.
    const first = await idle[0]?.closed;
    expect(first?.text).toBe('');
    expect(idle[19]?.socket.destroyed).toBe(false);
    expect(await metric('gosight_ingestor_connections_shed_total{reason="idle_evicted"}')).toBe(15);

    expect((await postBatch(port)).status).toBe(202);
    expect(await healthz(port)).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('with every connection in a request, refuses batches with 503 + Connection: close and still answers /healthz', async () => {
    const { port } = await listening({ maxConnections: 3, requestTimeoutMs: 10_000 });
    const busy = Array.from({ length: 3 }, () => rawClient(port, STALLED_BODY));
    await Promise.all(busy.map((client) => client.connected));
    await settle();

    const refused = await postBatch(port);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'TOO_MANY_CONNECTIONS',
    );
    expect(await healthz(port)).toEqual({ status: 200, body: '{"status":"ok"}' });

    // The busy connections leave; batches are served again.
    for (const client of busy) client.socket.destroy();
    await Promise.all(busy.map((client) => client.closed));
    await settle();
    expect((await postBatch(port)).status).toBe(202);
  });

  it('keeps open sockets within the cap plus its refusal lane, whatever clients hold', async () => {
    const max = 2;
    const { port } = await listening({ maxConnections: max, requestTimeoutMs: 10_000 });
    const busy = Array.from({ length: max }, () => rawClient(port, STALLED_BODY));
    await Promise.all(busy.map((client) => client.connected));
    await settle();
    const idle = Array.from({ length: 60 }, () => rawClient(port));
    await Promise.all(idle.map((client) => client.connected));
    await settle();
    const open = await metric('gosight_ingestor_open_connections');
    expect(open).toBeGreaterThan(max);
    expect(open).toBeLessThanOrEqual(max + overflowOf(max));
    expect(await healthz(port)).toEqual({ status: 200, body: '{"status":"ok"}' });
  });
});
