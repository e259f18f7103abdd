/**
 * The two users of the embedded endpoint, as a ClickHouse server would have them configured:
 * `default`, with no password, is the read-only analyst; `gosight` is the writer the services use,
 * with a password generated on first start into the data directory (mode 0600), where the
 * services that run on this machine read it. Credentials arrive the ways ClickHouse accepts them:
 * X-ClickHouse-User / X-ClickHouse-Key headers, HTTP basic auth, or `user` / `password` parameters.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ClickHouseServerError } from './clickhouse-error';
import { ErrorCode, serverError } from './clickhouse-error';
import { header, type RequestHeaders } from './parse-request';
import type { Role } from './statement-policy';

/** The password-less, read-only user (what curl and ad-hoc exploration get). */
export const READER_USER = 'default';
/** The user the processor, the migration runner and the tests write with. */
export const WRITER_USER = 'gosight';
/** Name of the writer's password file inside the endpoint's data directory. */
export const WRITER_PASSWORD_FILE = 'gosight-writer.password';

/** Credentials for `@clickhouse/client` (`username` / `password`). */
export interface EndpointCredentials {
  username: string;
  password: string;
}

/** Where the writer's password of the endpoint on `dataDir` is kept. */
export function writerPasswordPath(dataDir: string): string {
  return path.join(dataDir, WRITER_PASSWORD_FILE);
}

/** Reads the writer's credentials of the endpoint on `dataDir`; throws when it never started there. */
export function readWriterCredentials(dataDir: string): EndpointCredentials {
  const password = readFileSync(writerPasswordPath(dataDir), 'utf8').trim();
  return { username: WRITER_USER, password };
}

/** The writer's password: read from `dataDir`, or generated there (mode 0600) on first start. */
export function ensureWriterPassword(dataDir: string): string {
  const file = writerPasswordPath(dataDir);
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(24).toString('base64url')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    chmodSync(file, 0o600); // a copy restored with looser bits is tightened again
  }
  const password = readFileSync(file, 'utf8').trim();
  if (password === '') throw new Error(`${file} is empty: delete it to generate a new password`);
  return password;
}

/** The user and password a request presents (user `default`, empty password when none). */
export function presentedCredentials(
  search: URLSearchParams,
  headers: RequestHeaders,
): EndpointCredentials {
  const basic = /^Basic\s+(\S+)/i.exec(header(headers, 'authorization') ?? '')?.[1];
  if (basic !== undefined) {
    const text = Buffer.from(basic, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    return colon === -1
      ? { username: text, password: '' }
      : { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return {
    username: header(headers, 'x-clickhouse-user') ?? search.get('user') ?? READER_USER,
    password: header(headers, 'x-clickhouse-key') ?? search.get('password') ?? '',
  };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function authenticationFailed(username: string): ClickHouseServerError {
  return serverError(
    ErrorCode.AUTHENTICATION_FAILED,
    `${username}: Authentication failed: password is incorrect, or there is no user with such name`,
  );
}

/** Authenticates presented credentials: the role of the user, or ClickHouse's error 516. */
export function authenticate(presented: EndpointCredentials, writerPassword: string): Role {
  if (presented.username === READER_USER && presented.password === '') return 'reader';
  if (presented.username === WRITER_USER && sameSecret(presented.password, writerPassword)) {
    return 'writer';
  }
  throw authenticationFailed(presented.username);
}
