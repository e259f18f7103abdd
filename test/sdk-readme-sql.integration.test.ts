/**
 * Runs every SQL example of sdk/README.md ("Finding the events in ClickHouse")
 * against a freshly migrated database holding events of each type, so a
 * renamed column or a wrong function in the documentation fails here.
 */
import { readFileSync } from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runMigrations } from '../schema/src/migrations/migrate';
import { serviceEnv, uniqueSuffix } from './services';

const README = readFileSync(new URL('../sdk/README.md', import.meta.url), 'utf8');
const queries = [...README.matchAll(/<!-- example: sql -->\n```sql\n([\s\S]*?)\n```/g)]
  .flatMap((m) => m[1]!.split(/;\s*(?:\n|$)/))
  .map((q) => q.trim())
  .filter((q) => q.replace(/--.*$/gm, '').trim());

let client: ClickHouseClient;
const database = `gosight_readme_${uniqueSuffix()}`;

beforeAll(async () => {
  client = createClient({ url: serviceEnv().clickhouseUrl, ...serviceEnv().clickhouseAuth });
  await runMigrations({ client, database });
  const now = Date.now();
  const row = (type: string, extra: Record<string, unknown>) => ({
    event_id: crypto.randomUUID(),
    project_id: 'pk_live_shop',
    type,
    ts: now,
    client_ts: now,
    sent_at: now,
    received_at: now,
    session_id: 's1',
    anon_id: 'a1',
    user_id: 'customer-1234',
    url: 'https://shop.example.com/cart',
    path: '/cart',
    ...extra,
  });
  await client.insert({
    table: `${database}.events`,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
    values: [
      row('page_view', {}),
      row('click', { selector: '#buy', element_text: 'Buy', is_dead_click: true }),
      row('page_leave', { scroll_depth: 80, payload: '{"time_on_page_ms":4000,"max_scroll":80}' }),
      row('js_error', { error_type: 'TypeError', error_message: 'x is undefined' }),
      row('web_vitals', { name: 'LCP', value: 1200 }),
      row('custom', { name: 'signup', payload: '{"name":"signup","props":{"plan":"pro"}}' }),
    ],
  });
});

afterAll(async () => {
  await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client.close();
});

test('the README has its SQL examples', () => {
  expect(queries.length).toBeGreaterThanOrEqual(7);
});

test.each(queries.map((q) => [q.split('\n')[0], q]))('%s', async (_title, query) => {
  const result = await client.query({
    query: query.replaceAll('gosight.', `${database}.`),
    format: 'JSONEachRow',
  });
  // each example finds the row of its kind
  expect((await result.json()).length).toBeGreaterThan(0);
});
