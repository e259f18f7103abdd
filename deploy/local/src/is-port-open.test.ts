import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPortOpen } from './is-port-open';

describe('isPortOpen', () => {
  it('is true while something listens and false once it stops', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await isPortOpen('127.0.0.1', port)).toBe(true);
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    expect(await isPortOpen('127.0.0.1', port)).toBe(false);
  });
});
