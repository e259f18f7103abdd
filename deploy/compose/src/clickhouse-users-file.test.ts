/** The users file keeps no passwordless user and takes every password from the environment compose sets. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE } from './compose-cli';
import { definedUsers, grantQueries, readUsersFile, usersXmlAs } from './clickhouse-users-file';

const xml = readUsersFile();

describe('clickhouse/users.d/gosight-users.xml', () => {
  it('removes the default user and defines the admin, writer and analyst', () => {
    expect(xml).toMatch(/<default remove="remove"\s*\/>/);
    expect(definedUsers(xml)).toEqual(['gosight_admin', 'gosight_writer', 'gosight_analyst']);
  });

  it('takes each password from an environment variable the clickhouse service receives', () => {
    const compose = readFileSync(COMPOSE_FILE, 'utf8');
    const clickhouseService = /\n {2}clickhouse:\n([\s\S]*?)\n {2}\w/.exec(compose)?.[1] ?? '';
    const vars = [...xml.matchAll(/<password from_env="([A-Z_]+)"\s*\/>/g)].map((m) => m[1]);
    expect(vars).toEqual([
      'CLICKHOUSE_ADMIN_PASSWORD',
      'CLICKHOUSE_WRITER_PASSWORD',
      'CLICKHOUSE_ANALYST_PASSWORD',
    ]);
    for (const name of vars) expect(clickhouseService).toContain(`${name}: \${${name}:?`);
  });

  it('grants the writer inserts and the analyst reads, nothing broader', () => {
    expect(grantQueries(xml, 'gosight_writer')[0]).toBe('GRANT INSERT ON gosight.*');
    expect(grantQueries(xml, 'gosight_writer').join('\n')).not.toMatch(/SELECT ON gosight\.\*|ALL/);
    expect(grantQueries(xml, 'gosight_analyst')).toEqual(['GRANT SELECT ON gosight.*']);
  });

  it('re-homes a user onto the embedded engine default user, profile and grants intact', () => {
    const analyst = usersXmlAs(xml, 'gosight_analyst');
    expect(analyst).toContain('<profile>gosight_analyst</profile>');
    expect(analyst).toContain('<readonly>2</readonly>');
    expect(analyst).toContain('<no_password/>');
    expect(analyst).not.toContain('from_env');
  });
});
