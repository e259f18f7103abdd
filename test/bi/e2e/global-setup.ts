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

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stopStack = await setupStack();
  let bi = takeOver();
  if (
    bi !== undefined &&
    !(await fetch(`${bi.baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    console.log(`bi: the Superset handed over at ${bi.baseUrl} does not answer; setting up anew`);
    await tearDown(bi);
    bi = undefined;
  }
  bi ??= await ownSetup();
  process.env.BI_TEST_URL = bi.baseUrl;
  process.env.BI_TEST_PASSWORD = readFileSync(
    path.join(bi.dataDir, 'admin-password'),
    'utf8',
  ).trim();
  const taken = bi;
  return async () => {
    await tearDown(taken);
    await stopStack();
  };
}
