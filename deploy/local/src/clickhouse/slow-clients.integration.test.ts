/**
 * The endpoint against slow and idle clients: a stalled body or header is cut off with 408, a
 * connection past the cap is closed at once, and the endpoint keeps answering throughout. Its own
 * file because the engine allows one data directory per process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseHttpServer, type ClickHouseHttpServer } from './http-server';

const PING = 'GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

describe('slow and idle clients', () => {
  let small: ClickHouseHttpServer;
  const smallDir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-slow-'));

  beforeAll(async () => {
    small = createClickHouseHttpServer({
      dataDir: smallDir,
      port: 0,
      requestTimeoutMs: 1_500,
      maxConnections: 4,
    });
    await small.listen();
  });

  afterAll(async () => {
    await small?.close();
    rmSync(smallDir, { recursive: true, force: true });
  });

  /** Opens a socket, writes `head`, and resolves with what came back and when the socket closed. */
  function stall(head: string): Promise<{ text: string; closedAfterMs: number }> {
    const url = new URL(small.url);
    const t0 = Date.now();
    return new Promise((resolve) => {
      let text = '';
      const socket = connect(Number(url.port), url.hostname);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => undefined);
      // Gives up after 8 s, so a missing timeout fails the test instead of hanging it.
      const giveUp = setTimeout(() => socket.destroy(), 8_000);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve({ text, closedAfterMs: Date.now() - t0 });
      });
      if (head !== '') socket.write(head);
    });
  }

  it('cuts off a client that stalls its body or its headers or sends nothing, and keeps answering', async () => {
    const [body, headers, silent] = await Promise.all([
      stall('POST /?query=INSERT HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nSELE'),
      stall('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '),
      stall(''), // connects and never sends a byte
    ]);
    expect(body.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(headers.text).toMatch(/^HTTP\/1\.1 408 /);
    for (const r of [body, headers, silent]) expect(r.closedAfterMs).toBeLessThan(5_000);
    const ping = await stall(PING);
    expect(ping.text).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes connections past its cap at once, and serves again when they go', async () => {
    const url = new URL(small.url);
    const idle = Array.from({ length: 4 }, () =>
      connect(Number(url.port), url.hostname).on('error', () => undefined),
    );
    await Promise.all(
      idle.map((s) => new Promise((ok) => s.once('connect', ok).once('close', ok))),
    );
    const extra = await stall('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(extra.text).toBe(''); // closed without an answer
    expect(extra.closedAfterMs).toBeLessThan(1_000);
    for (const s of idle) s.destroy();
    await expect
      .poll(async () => (await stall(PING)).text.slice(0, 12), { timeout: 5_000, interval: 100 })
      .toBe('HTTP/1.1 200');
  });
});
