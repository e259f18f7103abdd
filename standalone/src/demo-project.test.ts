/**
 * The demo project `npm start` configures is rate limited (issue 13 §6): the
 * 601st request in a minute from one address gets 429, another address is
 * served.
 */
import { createProjectRegistry, projectListSchema } from '@gosight/ingestor';
import { describe, expect, it } from 'vitest';
// The ingestor's test helpers (an app on a recording bus); tests only.
import { batchOf, testApp } from '../../ingestor/src/test-support';
import { DEMO_PROJECTS, loadStandaloneConfig } from './config';

const demoProjects = () => projectListSchema.parse(JSON.parse(DEMO_PROJECTS));

describe('demo project', () => {
  it('is what npm start runs with when GOSIGHT_PROJECTS is unset', () => {
    expect(loadStandaloneConfig([], {}).ingestor.GOSIGHT_PROJECTS).toEqual(demoProjects());
  });

  it('answers 429 past 600 requests a minute from one address', async () => {
    const { app } = await testApp({ projects: createProjectRegistry(demoProjects()) });
    const send = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress,
        headers: { 'content-type': 'text/plain', origin: 'http://127.0.0.1:8080' },
        payload: JSON.stringify(batchOf(undefined, 'pk_demo')),
      });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 601; i++) {
      const { statusCode } = await send('198.51.100.20');
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 202: 600, 429: 1 });
    expect((await send('198.51.100.21')).statusCode).toBe(202);
    await app.close();
  });
});
