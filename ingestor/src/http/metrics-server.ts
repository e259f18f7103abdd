/**
 * The ingestor's metrics port: `GET /metrics` (Prometheus), apart from the
 * public ingest port because the series name project keys and their volumes
 * (issue 13 §6). It binds 127.0.0.1 by default (`GOSIGHT_INGESTOR_METRICS_HOST`);
 * in a container it binds the container's network, where only Prometheus
 * reaches it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { errorBody, IngestError } from '../errors';

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics` (the port actually bound, also with port 0). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the metrics server; resolves once it listens, rejects (EADDRINUSE…) if it cannot. */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('x-content-type-options', 'nosniff');
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(errorBody(new IngestError('INTERNAL', String(error)))));
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(errorBody(new IngestError('NOT_FOUND', 'this port serves /metrics'))));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
