import { afterEach, describe, expect, it } from 'vitest';
import type { IngestorApp } from '../app';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { batchOf, testApp, TEST_PROJECT } from '../test-support';

let built: IngestorApp | undefined;
let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  await built?.app.close();
  built = undefined;
  server = undefined;
});

describe('metrics port', () => {
  it('serves the per-project counts on its own loopback port, and nothing else', async () => {
    built = await testApp();
    await built.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(batchOf()),
    });
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: built.metrics.registry,
    });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain(
      `gosight_ingestor_events_total{outcome="accepted",reason="",project="${TEST_PROJECT}"} 7`,
    );
    const other = await fetch(`http://127.0.0.1:${server.port}/v1/batch`);
    expect(other.status).toBe(404);
    // The public app does not serve them.
    expect((await built.app.inject('/metrics')).statusCode).toBe(404);
  });

  it('rejects when the port is taken', async () => {
    built = await testApp();
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: built.metrics.registry,
    });
    await expect(
      startMetricsServer({
        host: '127.0.0.1',
        port: server.port,
        registry: built.metrics.registry,
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
