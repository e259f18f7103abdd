/**
 * Seeds a fresh gosight database, runs `npm run bi` for it (own data
 * directory and port) and hands the URL and admin password to the tests
 * through the environment; the returned teardown stops Superset and drops the
 * database.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import setupStack from '../../global-setup';
import { prepareBi, runBiCli } from '../bi-harness';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stopStack = await setupStack();
  const fx = await prepareBi('gosight-bi-browser');
  const run = await runBiCli(fx.args);
  if (run.code !== 0) throw new Error(`npm run bi failed (exit ${run.code}):\n${run.output}`);
  process.env.BI_TEST_URL = fx.baseUrl;
  process.env.BI_TEST_PASSWORD = readFileSync(
    path.join(fx.dataDir, 'admin-password'),
    'utf8',
  ).trim();
  return async () => {
    await runBiCli(['stop', ...fx.args]);
    await fx.dropDatabase();
    rmSync(fx.dataDir, { recursive: true, force: true });
    await stopStack();
  };
}
