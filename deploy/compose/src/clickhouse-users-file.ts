/**
 * Reads deploy/compose/clickhouse/users.d/gosight-users.xml for the tests: the
 * grant statements it holds, and the same definitions re-homed onto the
 * embedded engine's session user (chdb always runs as `default`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the users file the ClickHouse container mounts. */
export const USERS_FILE = fileURLToPath(
  new URL('../clickhouse/users.d/gosight-users.xml', import.meta.url),
);

/** The users file's text. */
export function readUsersFile(): string {
  return readFileSync(USERS_FILE, 'utf8');
}

function section(xml: string, tag: string): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!match?.[1]) throw new Error(`users file: no <${tag}> section`);
  return match[1];
}

/** Names of the users the file defines (not the removed ones). */
export function definedUsers(xml: string): string[] {
  const users = section(xml, 'users');
  return [...users.matchAll(/^\s{4}<([a-z_]+)>/gm)].map((m) => m[1] ?? '');
}

/** Every GRANT statement of `user` (empty when the user has no <grants>, i.e. all rights). */
export function grantQueries(xml: string, user: string): string[] {
  const body = section(section(xml, 'users'), user);
  return [...body.matchAll(/<query>([\s\S]*?)<\/query>/g)].map((m) => (m[1] ?? '').trim());
}

/**
 * A complete users.xml whose `default` user is `user` from the file: its
 * profile (with the file's profiles), quota and grants, verbatim. The password
 * is dropped — the embedded engine has no login; the server checks it.
 */
export function usersXmlAs(xml: string, user: string): string {
  const body = section(section(xml, 'users'), user).replace(/<password[^>]*\/>/, '<no_password/>');
  return [
    '<clickhouse>',
    `<profiles><default/>${section(xml, 'profiles')}</profiles>`,
    '<quotas><default/></quotas>',
    `<users><default>${body}</default></users>`,
    '</clickhouse>',
  ].join('\n');
}
