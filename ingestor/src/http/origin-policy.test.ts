import { describe, expect, it } from 'vitest';
import { compileOriginPolicy } from './origin-policy';
import { projectListSchema } from '../projects';

describe('origin patterns', () => {
  it('a bare wildcard allows subdomains over https on the default port only', () => {
    const policy = compileOriginPolicy(['*.shop.test']);
    expect(policy.allows('https://x.shop.test')).toBe(true);
    expect(policy.allows('https://a.b.shop.test')).toBe(true);
    expect(policy.allows('https://x.shop.test:443')).toBe(true);
    expect(policy.allows('http://x.shop.test')).toBe(false);
    expect(policy.allows('http://x.shop.test:444')).toBe(false);
    expect(policy.allows('https://x.shop.test:444')).toBe(false);
    expect(policy.allows('https://shop.test')).toBe(false);
    expect(policy.allows('https://evilshop.test')).toBe(false);
  });

  it('a wildcard that names its scheme and port allows exactly those', () => {
    const policy = compileOriginPolicy(['http://*.shop.test:8080', 'https://*.cdn.test']);
    expect(policy.allows('http://x.shop.test:8080')).toBe(true);
    expect(policy.allows('HTTP://X.SHOP.TEST:8080')).toBe(true);
    expect(policy.allows('http://x.shop.test')).toBe(false);
    expect(policy.allows('https://x.shop.test:8080')).toBe(false);
    expect(policy.allows('https://a.cdn.test')).toBe(true);
    expect(policy.allows('http://a.cdn.test')).toBe(false);
    expect(policy.allows('null')).toBe(false);
  });

  it('an exact origin matches with or without its default port written out', () => {
    const policy = compileOriginPolicy(['https://shop.example.com:443', 'http://localhost:8080']);
    expect(policy.allows('https://shop.example.com')).toBe(true);
    expect(policy.allows('http://localhost:8080')).toBe(true);
    expect(policy.allows('http://localhost:8081')).toBe(false);
    expect(policy.allows('http://shop.example.com')).toBe(false);
  });

  it('the project list refuses a wildcard with a port but no scheme', () => {
    const parse = (origin: string) =>
      projectListSchema.safeParse([{ key: 'pk', origins: [origin] }]).success;
    expect(parse('*.shop.test:8080')).toBe(false);
    expect(parse('http://*.shop.test:8080')).toBe(true);
    expect(parse('https://*.shop.test')).toBe(true);
    expect(parse('*.shop.test')).toBe(true);
    expect(parse('ftp://*.shop.test')).toBe(false);
  });
});
