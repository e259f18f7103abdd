/** Every ClickHouse panel of the web-analytics dashboard runs on the engine against the migrated schema. */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { runMigrations } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueSuffix } from '../../../test/services';
import { dashboardQueries, expandMacros } from './dashboards';

const database = `gosight_dash_${uniqueSuffix()}`;
let client: ClickHouseClient;

beforeAll(async () => {
  client = createClient({ url: serviceEnv().clickhouseUrl, ...serviceEnv().clickhouseAuth });
  await runMigrations({ client, database });
  // A page view and an LCP on /pricing, so the aggregates have something to merge.
  await client.command({
    query: `INSERT INTO ${database}.events (event_id, project_id, type, ts, client_ts, sent_at, received_at, session_id, path, name, value)
      VALUES (generateUUIDv4(), 'demo', 'page_view', now64(3), now64(3), now64(3), now64(3), 's1', '/pricing', '', NULL),
             (generateUUIDv4(), 'demo', 'web_vitals', now64(3), now64(3), now64(3), now64(3), 's1', '/pricing', 'LCP', 1234)`,
  });
});
afterAll(async () => {
  await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client.close();
});

describe('web analytics dashboard SQL', () => {
  const queries = dashboardQueries('clickhouse');

  it('has the panels the issue asks for', () => {
    expect(queries.map((q) => q.panel.split(' / ')[1])).toEqual([
      'Page views per minute',
      'Top pages',
      'Web Vitals p75 (LCP, INP in ms)',
      'Web Vitals p75 by page',
      'JavaScript errors per minute',
      'Top errors',
      'Sessions started per hour',
      'Sessions summary',
    ]);
  });

  it.each(queries.map((q) => [q.panel, q.query]))('%s runs', async (_panel, sql) => {
    const result = await client.query({
      query: expandMacros(sql).replaceAll('gosight.', `${database}.`),
      format: 'JSONEachRow',
    });
    expect(Array.isArray(await result.json())).toBe(true);
  });

  it('top pages and Web Vitals show the inserted page', async () => {
    const [top, vitals] = ['Top pages', 'Web Vitals p75 by page'].map(
      (title) => queries.find((q) => q.panel.endsWith(title))?.query ?? '',
    );
    const rows = async (sql: string) =>
      (
        await client.query({
          query: expandMacros(sql).replaceAll('gosight.', `${database}.`),
          format: 'JSONEachRow',
        })
      ).json<Record<string, unknown>>();
    expect(await rows(top ?? '')).toEqual([{ path: '/pricing', views: 1, sessions: 1 }]);
    expect((await rows(vitals ?? ''))[0]).toMatchObject({ path: '/pricing', lcp_p75_ms: 1234 });
  });
});
