import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  ensureWriterPassword,
  presentedCredentials,
  readWriterCredentials,
  writerPasswordPath,
} from './endpoint-users';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gosight-ch-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('endpoint users', () => {
  it('reads credentials from basic auth, X-ClickHouse headers or URL parameters', () => {
    const basic = `Basic ${Buffer.from('ann:se:cret').toString('base64')}`;
    const none = new URLSearchParams();
    expect(presentedCredentials(none, { authorization: basic })).toEqual({
      username: 'ann',
      password: 'se:cret',
    });
    expect(
      presentedCredentials(none, { 'x-clickhouse-user': 'bob', 'x-clickhouse-key': 'k' }),
    ).toEqual({ username: 'bob', password: 'k' });
    expect(presentedCredentials(new URLSearchParams({ user: 'cy', password: 'p' }), {})).toEqual({
      username: 'cy',
      password: 'p',
    });
    expect(presentedCredentials(none, {})).toEqual({ username: 'default', password: '' });
  });

  it('generates the writer password once, mode 0600, and reads the same one back', () => {
    const first = ensureWriterPassword(dir);
    expect(first.length).toBeGreaterThanOrEqual(24);
    expect(statSync(writerPasswordPath(dir)).mode & 0o777).toBe(0o600);
    expect(ensureWriterPassword(dir)).toBe(first);
    expect(readWriterCredentials(dir)).toEqual({ username: 'gosight', password: first });
    expect(readFileSync(writerPasswordPath(dir), 'utf8').trim()).toBe(first);
  });

  it('knows the password-less reader, the writer, and nobody else', () => {
    expect(authenticate({ username: 'default', password: '' }, 'pw')).toBe('reader');
    expect(authenticate({ username: 'gosight', password: 'pw' }, 'pw')).toBe('writer');
    for (const wrong of [
      { username: 'default', password: 'x' },
      { username: 'gosight', password: '' },
      { username: 'gosight', password: 'pW' },
      { username: 'root', password: 'pw' },
    ]) {
      expect(() => authenticate(wrong, 'pw')).toThrow(
        expect.objectContaining({ code: 516, type: 'AUTHENTICATION_FAILED' }),
      );
    }
  });
});
