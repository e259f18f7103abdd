/**
 * The SQL this deployment hands to ClickHouse parses on the real engine
 * (`EXPLAIN AST` on the local ClickHouse endpoint): the grants of the users
 * file, and every migration as cluster mode rewrites it (ON CLUSTER +
 * Replicated engines; no cluster here to run them on, so parse only).
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { forCluster, readMigrationFiles } from '@gosight/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv } from '../../../test/services';
import { definedUsers, grantQueries, readUsersFile } from './clickhouse-users-file';

let client: ClickHouseClient;

beforeAll(() => {
  // Parse errors are expected answers here, not worth the client's error log.
  client = createClient({
    url: serviceEnv().clickhouseUrl,
    ...serviceEnv().clickhouseAuth,
    log: { level: ClickHouseLogLevel.OFF },
  });
});
afterAll(async () => {
  await client.close();
});

/** The AST dump of `sql`, or the engine's error message. */
async function explain(sql: string): Promise<string> {
  try {
    const result = await client.query({ query: `EXPLAIN AST ${sql}`, format: 'TabSeparatedRaw' });
    return await result.text();
  } catch (error) {
    return `ERROR ${(error as Error).message}`;
  }
}

describe('deployment SQL parses on the ClickHouse engine', () => {
  it('every grant in users.d/gosight-users.xml', async () => {
    const xml = readUsersFile();
    const grants = definedUsers(xml).flatMap((user) =>
      grantQueries(xml, user).map((q) => `${q} TO ${user}`),
    );
    expect(grants.length).toBeGreaterThanOrEqual(4);
    for (const grant of grants) {
      const ast = await explain(grant);
      expect(ast, grant).toMatch(/^GrantQuery/);
    }
    // The check can fail: a typo in a privilege does not parse.
    expect(await explain('GRANT SELCT ON gosight.* TO gosight_analyst')).toMatch(/^ERROR/);
  });

  it('every migration rewritten for cluster mode', async () => {
    const statements = (await readMigrationFiles()).flatMap((f) =>
      f.statements.map((s) => forCluster(s.replaceAll('{{db}}', 'gosight'), 'gosight_cluster')),
    );
    for (const statement of statements) {
      const ast = await explain(statement);
      expect(ast, statement.slice(0, 120)).toMatch(/^(CreateQuery|AlterQuery)/);
      if (/ENGINE/.test(statement)) expect(ast).toMatch(/Function Replicated\w*MergeTree/);
      // The engine's own formatter keeps the ON CLUSTER clause.
      const formatted = await client.query({
        query: 'SELECT formatQuery({q:String}) AS sql',
        query_params: { q: statement },
        format: 'JSONEachRow',
      });
      const [row] = await formatted.json<{ sql: string }>();
      expect(row?.sql).toContain('ON CLUSTER gosight_cluster');
    }
  });
});
