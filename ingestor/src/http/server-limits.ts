/**
 * How long the ingestor's HTTP server waits for a client (issue 13 §4: with
 * Fastify's defaults — requestTimeout 0, keepAliveTimeout 72 s — a client
 * that sends headers and half a body, or nothing at all, kept its socket
 * forever). Node enforces the limits itself: `headersTimeout` from the
 * connection's first byte (or its accept, for a socket that says nothing),
 * `requestTimeout` until the whole body is in; past either the client gets a
 * 408 in the error catalogue's format and the socket is closed.
 */
import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, IngestError, type ErrorCode } from '../errors';

/** The server's limits; every field has a default (`DEFAULT_SERVER_LIMITS`). */
export interface ServerLimits {
  /** Longest time to receive one request, headers and body (`GOSIGHT_REQUEST_TIMEOUT_MS`). */
  readonly requestTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open (`GOSIGHT_KEEP_ALIVE_TIMEOUT_MS`);
   * Node closes it 1 s after this, so a client that honours `Keep-Alive: timeout` gives up first.
   */
  readonly keepAliveTimeoutMs: number;
  /** Open connections served normally (`GOSIGHT_MAX_CONNECTIONS`, see connection-guard.ts). */
  readonly maxConnections: number;
}

/**
 * 15 s receives a 64 KiB body at ~40 kbit/s (a poor mobile link); a beacon
 * needs a few hundred bytes. 5 s of keep-alive covers the SDK's 5 s batch
 * cadence (sdk/src/transport.ts) without holding every visitor's socket.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
});

/** Headers are one packet for a browser; a socket silent this long is not a visitor. */
const MAX_HEADERS_TIMEOUT_MS = 10_000;

/** The part of Fastify's options that `serverOptions` sets. */
export interface LimitedServerOptions {
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => void;
}

/** The Fastify / node:http options that enforce `limits`. */
export function serverOptions(limits: ServerLimits): LimitedServerOptions {
  const headersTimeout = Math.min(limits.requestTimeoutMs, MAX_HEADERS_TIMEOUT_MS);
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // No inactivity timeout on the socket: it would also fire while a handler waits
    // for the bus (GOSIGHT_PRODUCE_TIMEOUT_MS); the two limits above bound the client.
    connectionTimeout: 0,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout,
      // Node checks both timeouts on this interval (default 30 s, which would let a
      // stalled request live up to 30 s past its limit).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    clientErrorHandler: answerClientError,
  };
}

/** Answers a request Node could not read (timeout, oversized headers, bad HTTP) in the catalogue's format, then closes. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : 'BAD_REQUEST';
  const ingestError = new IngestError(code);
  const body = JSON.stringify(errorBody(ingestError));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${ingestError.status} ${STATUS_CODES[ingestError.status] ?? ''}\r\n` +
        'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `X-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
