/**
 * The ClickHouse HTTP interface in front of the chdb engine: `/ping`, `/replicas_status` and
 * queries on `/`, answered as a ClickHouse server would, so `@clickhouse/client` and curl work
 * unchanged. A factory, so it can run in its own process (main.ts) or inside another one.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createBrowserGuard } from './browser-guard';
import { ChdbEngine } from './chdb-engine';
import { ErrorCode, serverError, toServerError } from './clickhouse-error';
import { handleQuery } from './handle-query';
import { DEFAULT_MAX_BODY_BYTES } from './read-body';
import { sendError, type ServerIdentity } from './send-response';
import { ensureWriterPassword, WRITER_USER, type EndpointCredentials } from './endpoint-users';
import { createStatementPolicy, type StatementPolicy } from './statement-policy';

/** Options for {@link createClickHouseHttpServer}. */
export interface ClickHouseHttpServerOptions {
  /** the engine's data directory (created if missing); one per process */
  dataDir: string;
  /** default 127.0.0.1 */
  host?: string;
  /** default 8123; 0 picks a free port */
  port?: number;
  /** parallel engine connections (default 4; the read-only user never takes the last one) */
  connections?: number;
  /** largest accepted (decoded) request body, default 256 MiB */
  maxBodyBytes?: number;
  /** host names accepted in `Host` besides 127.0.0.1, localhost and [::1] */
  allowedHosts?: readonly string[];
  /** origins whose web pages may query the endpoint (none by default) */
  allowedOrigins?: readonly string[];
  /** how long a request's headers and body may take to arrive, ms (default 120 000) */
  requestTimeoutMs?: number;
  /** most open connections (default 256); more are closed at once */
  maxConnections?: number;
  /** max_execution_time of the read-only user's queries, seconds (default 60) */
  readerMaxExecutionSeconds?: number;
  /** max_memory_usage of each read-only query, bytes (default 2 GiB) */
  readerMaxMemoryBytes?: number;
}

/** A ClickHouse HTTP endpoint; `listen()` opens the engine and starts answering. */
export interface ClickHouseHttpServer {
  /** base URL, e.g. http://127.0.0.1:8123 (the real port once listening) */
  readonly url: string;
  /** ClickHouse version of the engine, known once listening */
  readonly version: string;
  /** the writer user's credentials (its password is generated on first start), once listening */
  readonly writer: EndpointCredentials;
  /** opens the engine, then listens; resolves with the URL */
  listen(): Promise<string>;
  /** stops accepting, lets running queries finish, closes the engine */
  close(): Promise<void>;
}

const OK = 'Ok.\n';

/** Creates (does not start) a ClickHouse HTTP endpoint on `dataDir`. */
export function createClickHouseHttpServer(
  opts: ClickHouseHttpServerOptions,
): ClickHouseHttpServer {
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port ?? 8123;
  let engine: ChdbEngine | undefined;
  let identity: ServerIdentity = {
    version: 'unknown',
    timezone: 'UTC',
    displayName: os.hostname(),
  };
  const inFlight = new Set<Promise<void>>();
  const guard = createBrowserGuard({
    ...(opts.allowedHosts === undefined ? {} : { allowedHosts: opts.allowedHosts }),
    ...(opts.allowedOrigins === undefined ? {} : { allowedOrigins: opts.allowedOrigins }),
  });
  const readerSettings = new Map([
    ['max_execution_time', String(opts.readerMaxExecutionSeconds ?? 60)],
    ['max_memory_usage', String(opts.readerMaxMemoryBytes ?? 2 * 1024 ** 3)],
  ]);
  let writerPassword = '';
  let policy: StatementPolicy | undefined;

  const route = (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      guard(req.headers);
    } catch (err) {
      sendError(res, toServerError(err), identity, '');
      return Promise.resolve();
    }
    const hasQuery = url.searchParams.has('query') || req.method === 'POST';
    if (
      url.pathname === '/ping' ||
      url.pathname === '/replicas_status' ||
      (url.pathname === '/' && !hasQuery)
    ) {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=UTF-8',
        'Content-Length': OK.length,
      });
      res.end(req.method === 'HEAD' ? undefined : OK);
      return Promise.resolve();
    }
    if (url.pathname !== '/' || engine === undefined || policy === undefined) {
      const err = serverError(ErrorCode.BAD_ARGUMENTS, `There is no handle ${url.pathname}`);
      sendError(res, err, identity, url.searchParams.get('query_id') ?? '', 404); // as ClickHouse does
      return Promise.resolve();
    }
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
      sendError(
        res,
        serverError(ErrorCode.UNSUPPORTED_METHOD, `Method ${req.method} is not supported`),
        identity,
        '',
      );
      return Promise.resolve();
    }
    return handleQuery(req, res, url.searchParams, {
      engine,
      identity,
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      policy,
      writerPassword,
      readerSettings,
    });
  };

  // Timeouts are checked every second (Node's default is every 30 s).
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const task = route(req, res).catch((err: unknown) => {
      res.destroy(err as Error);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  // ClickHouse keeps idle HTTP connections for 10 s (keep_alive_timeout); clients size their pools on it.
  server.keepAliveTimeout = 10_000;
  // A client that stalls its headers or body is cut off, and idle sockets cannot pile up: the
  // endpoint serves a few local services and analysts, not the public (a 256 MiB body over
  // loopback takes seconds). Past the cap Node closes new sockets at once.
  // Node only enforces requestTimeout when it is at least headersTimeout, so the headers' limit
  // never exceeds the whole request's.
  server.requestTimeout = opts.requestTimeoutMs ?? 120_000;
  server.headersTimeout = Math.min(10_000, server.requestTimeout);
  server.maxConnections = opts.maxConnections ?? 256;

  return {
    get url() {
      return `http://${host}:${port}`;
    },
    get version() {
      return identity.version;
    },
    get writer() {
      return { username: WRITER_USER, password: writerPassword };
    },
    async listen() {
      mkdirSync(opts.dataDir, { recursive: true });
      writerPassword = ensureWriterPassword(opts.dataDir);
      engine = await ChdbEngine.open(
        opts.dataDir,
        opts.connections === undefined ? {} : { connections: opts.connections },
      );
      policy = createStatementPolicy(engine.catalogue);
      identity = {
        version: engine.version,
        timezone: engine.timezone,
        displayName: `${os.hostname()} (chdb, ClickHouse ${engine.version})`,
      };
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          resolve();
        });
      });
      return `http://${host}:${port}`;
    },
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await stopped;
      await engine?.close();
      engine = undefined;
    },
  };
}
