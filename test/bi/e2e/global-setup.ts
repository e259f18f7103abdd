/**
 * Takes over the Superset the REST test left running (`npm test -- bi`), or else seeds a fresh
 * gosight database and runs `npm run bi` for it (own data directory and port); hands the URL
 * and admin password to the tests through the environment. The returned teardown stops
 * Superset and drops the database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import setupStack from '../../global-setup';
import { prepareBi, runBiCli, takeOver, tearDown, type BiHandoff } from '../bi-harness';

async function ownSetup(): Promise<BiHandoff> {
  const fx = await prepareBi('gosight-bi-browser');
  const run = await runBiCli(fx.args);
  if (run.code !== 0) {
    await tearDown(fx);
    throw new Error(`npm run bi failed (exit ${run.code}):\n${run.output}`);
  }
  return fx;
}

/** True when the Superset at `baseUrl` answers its health check. */
function answers(baseUrl: string): Promise<boolean> {
  return fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.ok,
    () => false,
  );
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stopStack = await setupStack();
  // Playwright runs the returned teardown only when this function returned: whatever fails
  // below stops what was taken over or started here first.
  let bi: BiHandoff | undefined;
  try {
    bi = takeOver();
    if (bi === undefined && process.env.BI_HANDOFF_FILE) {
      console.log(`bi: no Superset handed over in ${process.env.BI_HANDOFF_FILE}; setting up anew`);
    }
    if (bi !== undefined && !(await answers(bi.baseUrl))) {
      console.log(`bi: the Superset handed over at ${bi.baseUrl} does not answer; setting up anew`);
      const stale = bi;
      bi = undefined;
      await tearDown(stale);
    }
    bi ??= await ownSetup();
    process.env.BI_TEST_URL = bi.baseUrl;
    process.env.BI_TEST_PASSWORD = readFileSync(
      path.join(bi.dataDir, 'admin-password'),
      'utf8',
    ).trim();
  } catch (err) {
    if (bi !== undefined) await tearDown(bi).catch(() => undefined);
    await stopStack();
    throw err;
  }
  const taken = bi;
  return async () => {
    try {
      await tearDown(taken);
    } finally {
      await stopStack();
    }
  };
}
