/**
 * A cap on open connections with a clean refusal past it (issue 13 §4: 20k
 * idle sockets took the process to its descriptor limit and `/healthz`
 * failed).
 *
 * Node's `server.maxConnections` destroys a socket past the cap at accept:
 * the browser sees a reset, not an answer, and a health probe fails just
 * like a visitor. Instead, connections past the cap are still read for one
 * request, which is answered `503 TOO_MANY_CONNECTIONS` with `Retry-After`
 * and `Connection: close` (the SDK keeps the events and retries) — except the
 * exempt routes (`/healthz`), which are answered normally, then closed: a
 * probe from anywhere (a load balancer is rarely on loopback) keeps seeing
 * the process alive while it sheds load. That refusal lane is bounded too:
 * it holds at most `overflowOf(max)` sockets, each for at most
 * `OVERFLOW_IDLE_MS`; beyond it sockets are closed at accept, so descriptors
 * stay bounded at `max + overflowOf(max)` whatever a client does.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { IngestError } from './errors';

export interface ConnectionGuardOptions {
  /** Connections served normally. */
  maxConnections: number;
  /** Routes answered normally on an over-cap connection (e.g. `/healthz`). */
  exemptRoutes: readonly string[];
  retryAfterSeconds: number;
  /** Called for each socket closed at accept (past the refusal lane). */
  onDropped?: () => void;
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

/** Counts `app.server`'s connections and refuses requests on those past the cap. */
export function guardConnections(
  app: FastifyInstance,
  options: ConnectionGuardOptions,
): ConnectionGuard {
  const hardLimit = options.maxConnections + overflowOf(options.maxConnections);
  const exempt = new Set(options.exemptRoutes);
  const overCap = new WeakSet<Socket>();
  let open = 0;

  app.server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => open--);
    if (open <= options.maxConnections) return;
    if (open > hardLimit) {
      options.onDropped?.();
      socket.destroy();
      return;
    }
    overCap.add(socket);
    socket.setTimeout(OVERFLOW_IDLE_MS, () => socket.destroy());
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
