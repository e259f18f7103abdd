/**
 * A TCP proxy a test controls: it forwards 127.0.0.1:<port> to a target, and
 * `close()` makes the target unreachable (listener closed, open connections
 * destroyed) until `open()` — how failure tests stop a shared service for
 * their own client only, never for the other tests using it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The local port; stays the same across close()/open(). */
  readonly port: number;
  /** Stops accepting and cuts every open connection. */
  close(): Promise<void>;
  /** Accepts again on the same port. */
  open(): Promise<void>;
  /** Closes for good. */
  dispose(): Promise<void>;
}

/** Starts a proxy to `targetHost:targetPort` on a free local port (or `port`). */
export async function startTcpProxy(
  targetHost: string,
  targetPort: number,
  port = 0,
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let boundPort = port;

  const listen = async () => {
    const s = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      sockets.add(client);
      sockets.add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => resolve());
    });
    boundPort = (s.address() as AddressInfo).port;
    server = s;
  };

  const stop = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return boundPort;
    },
    close: stop,
    open: async () => {
      if (!server) await listen();
    },
    dispose: stop,
  };
}
