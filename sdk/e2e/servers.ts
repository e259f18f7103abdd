/** The two local servers of the browser tests: the site (test pages + SDK) and the collector. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WireBatch, WireEvent } from '@gosight/schema/types';

const here = dirname(fileURLToPath(import.meta.url));
// SDK_FILE: another build to test (e.g. the last commit's, to see a new test fail)
const sdkFile = process.env.SDK_FILE ?? join(here, '..', 'dist', 'gosight.js');
const esmFile = join(here, '..', 'dist', 'gosight.esm.js');

/** One batch as the collector received it. */
export interface Received {
  at: number;
  status: number;
  batch: WireBatch;
  /** The request body as it arrived (the beacon bytes). */
  raw: string;
}

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** A collector for POST /v1/batch that records every request and answers as told; it can go down and come back. */
export const startCollector = async () => {
  const received: Received[] = [];
  const answers: { status: number; retryAfter?: string }[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    // without this a cross-origin page cannot read Retry-After (not a CORS-safelisted header)
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method == 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    // first-party serving, as the ingestor does at GOSIGHT_SDK_PATH
    const sdk = { '/sdk/gosight.js': sdkFile, '/sdk/gosight.esm.js': esmFile }[req.url ?? ''];
    if (req.method == 'GET' && sdk) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(sdk));
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const a = answers.shift() ?? { status: 202 };
      received.push({
        at: Date.now(),
        status: a.status,
        batch: JSON.parse(body) as WireBatch,
        raw: body,
      });
      if (a.retryAfter) res.setHeader('Retry-After', a.retryAfter);
      res
        .writeHead(a.status, { 'content-type': 'application/json' })
        .end('{"accepted":0,"quarantined":0}');
    });
  };
  let server = createServer(handler);
  const port = await listen(server);
  const c = {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Answers to give, in order, before going back to 202. */
    answers,
    /** Events of the batches answered 2xx. */
    delivered(): WireEvent[] {
      return received.filter((r) => r.status < 300).flatMap((r) => r.batch.events);
    },
    ofType<T extends WireEvent['type']>(type: T) {
      return c.delivered().filter((e): e is Extract<WireEvent, { type: T }> => e.type == type);
    },
    down: () => close(server),
    up: async () => {
      server = createServer(handler);
      await listen(server, port);
    },
    close: () => close(server),
  };
  return c;
};

/** Serves the SDK at /sdk/gosight.js and the test pages; `page(name, attrs)` gives a page URL. */
export const startSite = async () => {
  /** Pages given by the tests, by path: HTML and response headers. */
  const served = new Map<string, { html: string; headers: Record<string, string> }>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = url.pathname.slice(1);
    const given = served.get(url.pathname);
    if (given) {
      res.writeHead(200, { 'content-type': 'text/html', ...given.headers }).end(given.html);
      return;
    }
    if (file == 'sdk/gosight.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(sdkFile));
      return;
    }
    if (/^[a-z-]+\.(js|css)$/.test(file)) {
      const type = file.endsWith('.js') ? 'text/javascript' : 'text/css';
      res.writeHead(200, { 'content-type': type }).end(readFileSync(join(here, 'site', file)));
      return;
    }
    if (/^[a-z-]+\.html$/.test(file)) {
      const attrs = [...url.searchParams]
        .map(([k, v]) => ` data-${k}="${v.replace(/"/g, '&quot;')}"`)
        .join('');
      let html = readFileSync(join(here, 'site', file), 'utf8').replace(/{{attrs}}/g, attrs);
      const headers: Record<string, string> = { 'content-type': 'text/html' };
      if (file.startsWith('csp')) {
        headers['content-security-policy'] =
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src " +
          (url.searchParams.get('endpoint') ?? "'self'");
        html = html.replace('{{csp}}', '');
      }
      res.writeHead(200, headers).end(html);
      return;
    }
    res.writeHead(file == 'favicon.ico' ? 204 : 404).end();
  });
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    page: (name: string, attrs: Record<string, string> = {}) =>
      `${origin}/${name}.html?${new URLSearchParams(attrs).toString()}`,
    /** Serves `html` at `path` (with `headers`) from now on. */
    serve: (path: string, html: string, headers: Record<string, string> = {}) =>
      served.set(path, { html, headers }),
    close: () => close(server),
  };
};
