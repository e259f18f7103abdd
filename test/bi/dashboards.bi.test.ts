/**
 * `npm run bi` against the local stack (issue 18): a fresh gosight database
 * with known events, Superset set up from nothing, and every chart of the four
 * dashboards read back through Superset's REST API and compared with what the
 * seed says it must show. Run by `npm test -- bi`.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHARTS, DASHBOARDS } from '../../deploy/local/src/bi/bundle-dashboards';
import { serviceEnv } from '../services';
import { handOff, prepareBi, runBiCli, tearDown, type BiFixture } from './bi-harness';
import { canonical, expectedRows, type ExpectedRow } from './expected';
import { chartRows, dashboardCharts, loginApi, type Row, type SupersetApi } from './superset-api';

let fx: BiFixture;
let first: { code: number; output: string };
let api: SupersetApi;
let password: string;

beforeAll(async () => {
  fx = await prepareBi('gosight-bi-test');
  first = await runBiCli(fx.args);
  if (first.code !== 0) throw new Error(`npm run bi failed (exit ${first.code}):\n${first.output}`);
  password = readFileSync(path.join(fx.dataDir, 'admin-password'), 'utf8').trim();
  api = await loginApi(fx.baseUrl, 'admin', password);
}, 900_000);

afterAll(async () => {
  if (fx === undefined) return;
  // Under `npm test -- bi` the browser test goes on with this Superset (one setup, not two).
  if (first?.code === 0 && handOff(fx)) return;
  await tearDown(fx);
});

describe('npm run bi', () => {
  test('prints the generated admin password once and keeps it in a 0600 file', () => {
    expect(password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(first.output.split(password).length - 1).toBe(1);
    expect(statSync(path.join(fx.dataDir, 'admin-password')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(fx.dataDir, 'secret_key')).mode & 0o777).toBe(0o600);
    expect(first.output).toContain(`Superset: ${fx.baseUrl}/`);
  });

  test('a second run only finds it running: no new password, no new import', async () => {
    const again = await runBiCli(fx.args);
    expect(again.code).toBe(0);
    expect(again.output).toContain('already running');
    expect(again.output).not.toContain('dashboards imported');
    expect(again.output).not.toContain(password);
    expect(readFileSync(path.join(fx.dataDir, 'admin-password'), 'utf8').trim()).toBe(password);
  });

  test('registers the warehouse as the read-only analyst, with no DML', async () => {
    const list = await api.get<{ result: { id: number; database_name: string }[] }>(
      '/api/v1/database/',
    );
    const db = list.result.find((d) => d.database_name === 'gosight');
    expect(db).toBeDefined();
    const one = await api.get<{ result: { sqlalchemy_uri: string; allow_dml: boolean } }>(
      `/api/v1/database/${db?.id}/connection`,
    );
    expect(one.result.sqlalchemy_uri).toBe(
      `clickhousedb://default@${new URL(serviceEnv().clickhouseUrl).host}/${fx.database}`,
    );
    expect(one.result.allow_dml).toBe(false);
  });

  test('answers only to its own host names (no DNS rebinding)', async () => {
    const ok = await fetch(`${fx.baseUrl}/health`);
    expect(ok.status).toBe(200);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${fx.baseUrl}/login/`,
        { headers: { host: 'rebound.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});

/** The chart's rows reduced to the columns the expectation names. */
function pick(rows: Row[], like: ExpectedRow | undefined): ExpectedRow[] {
  const keys = Object.keys(like ?? {});
  return rows.map((r) =>
    Object.fromEntries(
      keys.map((k) => {
        const v = r[k];
        return [k, typeof v === 'boolean' ? Number(v) : (v ?? null)];
      }),
    ),
  );
}

describe.each(DASHBOARDS.map((d) => [d.title, d] as const))('dashboard %s', (_title, dashboard) => {
  const keys = dashboard.rows.flatMap((r) =>
    r.cells.flatMap((c) => ('chart' in c ? [c.chart] : [])),
  );

  test('has its charts', async () => {
    const charts = await dashboardCharts(api, dashboard.slug);
    const titles = keys.map((k) => CHARTS.find((c) => c.key === k)?.title);
    expect([...charts.keys()].sort()).toEqual([...titles].sort());
  });

  test.each(keys)('chart %s returns the expected numbers', async (key) => {
    const spec = CHARTS.find((c) => c.key === key);
    const charts = await dashboardCharts(api, dashboard.slug);
    const id = charts.get(spec?.title ?? '');
    expect(id).toBeDefined();
    const rows = await chartRows(api, id ?? 0);
    const expected = expectedRows(fx.seed)[key];
    expect(expected?.length).toBeGreaterThan(0);
    expect(canonical(pick(rows, expected?.[0]))).toEqual(canonical(expected ?? []));
  });
});
