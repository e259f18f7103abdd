/**
 * A cap on open connections with a clean refusal past it (issue 13 §4: 20k
 * idle sockets took the process to its descriptor limit and `/healthz`
 * failed).
 *
 * Node's `server.maxConnections` destroys a socket past the cap at accept:
 * the browser sees a reset, not an answer, and a health probe fails just
 * like a visitor. Here, at the cap:
 * 1. the oldest idle connection (accepted or kept alive, no request in
 *    flight) is closed to make room — what nginx does with idle keep-alive
 *    connections when it runs short. Idle sockets thus cannot crowd anyone
 *    out: a flood of them only recycles itself, and a visitor or a health
 *    probe that sends its request gets served;
 * 2. with no idle connection to close (every one is in a request), the new
 *    one is read for one request and answered `503 TOO_MANY_CONNECTIONS` with
 *    `Retry-After` and `Connection: close` (the SDK keeps the events and
 *    retries) — except the exempt routes (`/healthz`), answered normally then
 *    closed, so a probe from anywhere (a load balancer is rarely on loopback)
 *    keeps seeing the process alive while it sheds load;
 * 3. that refusal lane holds at most `overflowOf(max)` sockets, each for at
 *    most `OVERFLOW_IDLE_MS`; beyond it sockets are closed at accept.
 * Open descriptors stay at most `max + overflowOf(max)` whatever clients do;
 * requests in flight are bounded in time by the request timeout.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { IngestError } from '../errors';

/** Why the guard closed a socket itself. */
export type ShedReason = 'idle_evicted' | 'over_limit';

export interface ConnectionGuardOptions {
  /** Connections served normally. */
  maxConnections: number;
  /** Routes answered normally on an over-cap connection (e.g. `/healthz`). */
  exemptRoutes: readonly string[];
  retryAfterSeconds: number;
  /** Called for each socket the guard closes (an idle one evicted, or one refused at accept). */
  onShed?: (reason: ShedReason) => void;
}

/** What the guard reports. */
export interface ConnectionGuard {
  /** Sockets open right now (served, refused and being refused). */
  open(): number;
}

/** How long an over-cap socket may take to send its request before it is closed. */
export const OVERFLOW_IDLE_MS = 2_000;

/** Extra sockets accepted past the cap only to be refused cleanly: 10% of it, at least 16. */
export function overflowOf(maxConnections: number): number {
  return Math.max(16, Math.ceil(maxConnections / 10));
}

/** Counts `app.server`'s connections, evicts idle ones at the cap, refuses requests past it. */
export function guardConnections(
  app: FastifyInstance,
  options: ConnectionGuardOptions,
): ConnectionGuard {
  const hardLimit = options.maxConnections + overflowOf(options.maxConnections);
  const exempt = new Set(options.exemptRoutes);
  const overCap = new WeakSet<Socket>();
  // Sockets with no request in flight, oldest idle first (a Set keeps insertion order).
  const idle = new Set<Socket>();
  // Counted out when chosen for eviction, not again when their 'close' comes.
  const evicted = new WeakSet<Socket>();
  let open = 0;

  /** Closes the oldest idle socket, if any (every socket may be in a request). */
  const evictOldestIdle = (): void => {
    const oldest = idle.values().next().value;
    if (oldest === undefined) return;
    idle.delete(oldest);
    evicted.add(oldest);
    open--;
    oldest.destroy();
    options.onShed?.('idle_evicted');
  };

  app.server.on('connection', (socket: Socket) => {
    if (open >= options.maxConnections) evictOldestIdle();
    if (open >= hardLimit) {
      options.onShed?.('over_limit');
      socket.destroy();
      return;
    }
    const overLimit = open >= options.maxConnections;
    open++;
    idle.add(socket);
    socket.once('close', () => {
      idle.delete(socket);
      if (!evicted.has(socket)) open--;
    });
    if (overLimit) {
      overCap.add(socket);
      socket.setTimeout(OVERFLOW_IDLE_MS, () => socket.destroy());
    }
  });

  app.server.on('request', (request: { socket: Socket }, response: NodeJS.EventEmitter) => {
    const socket = request.socket;
    idle.delete(socket);
    // Idle again once answered (kept alive); the newest idle is evicted last.
    response.once('finish', () => {
      if (!socket.destroyed) idle.add(socket);
    });
  });

  // A callback hook (no promise per request): the hot path pays one WeakSet lookup.
  app.addHook('onRequest', (request, reply, done) => {
    if (!overCap.has(request.raw.socket)) {
      done();
      return;
    }
    reply.header('connection', 'close');
    if (exempt.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    done(new IngestError('TOO_MANY_CONNECTIONS', undefined, undefined, options.retryAfterSeconds));
  });

  return { open: () => open };
}
