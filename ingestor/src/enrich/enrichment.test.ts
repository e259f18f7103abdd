import { describe, expect, it } from 'vitest';
import { anonymizeIp, storedIp, unmapIp } from '../http/client-ip';
import { correctedTimestamp, MAX_EVENT_AGE_MS } from './clock-skew';
import { compileOriginPolicy } from '../http/origin-policy';
import { createUserAgentParser } from './user-agent';

describe('user agents', () => {
  const parser = createUserAgentParser({ cacheSize: 10 });
  it.each([
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      { browser: 'Mobile Safari', os: 'iOS', device_type: 'mobile', is_bot: false },
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
      { os: 'iOS', device_type: 'tablet', is_bot: false },
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      { browser: 'Firefox', browser_version: '128.0', os: 'Linux', device_type: 'desktop' },
    ],
    [
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      { is_bot: true, device_type: 'bot' },
    ],
    ['curl/8.5.0', { is_bot: true, device_type: 'bot' }],
    ['', { is_bot: true, user_agent: '' }],
  ])('%s', (ua, expected) => {
    expect(parser.parse(ua)).toMatchObject(expected);
  });

  it('caps the user agent at 512 characters', () => {
    const long = `Mozilla/5.0 (X11; Linux x86_64) ${'x'.repeat(2000)}`;
    expect(parser.parse(long).user_agent).toHaveLength(512);
  });
});

describe('client IP', () => {
  it('anonymises IPv4 to /24 and IPv6 to /48', () => {
    expect(anonymizeIp('203.0.113.77')).toBe('203.0.113.0');
    expect(anonymizeIp('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd::');
    expect(anonymizeIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(anonymizeIp('::1')).toBe('0:0:0::');
    expect(anonymizeIp('garbage')).toBe('');
    expect(unmapIp('::ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('stores per mode', () => {
    expect(storedIp('198.51.100.4', 'full')).toBe('198.51.100.4');
    expect(storedIp('198.51.100.4', 'none')).toBe('');
    expect(storedIp('198.51.100.4', 'anonymize')).toBe('198.51.100.0');
  });
});

describe('clock skew', () => {
  const received = Date.UTC(2026, 0, 1, 12);
  it('shifts event time by the batch skew', () => {
    // client clock 1 h behind: sent_at reads 11:00 when the server says 12:00
    expect(correctedTimestamp(received - 3_600_000 - 5000, received - 3_600_000, received)).toBe(
      received - 5000,
    );
  });
  it('never puts an event after its arrival nor more than 7 days before', () => {
    expect(correctedTimestamp(received + 10_000, received, received)).toBe(received);
    expect(correctedTimestamp(received - 30 * 86_400_000, received, received)).toBe(
      received - MAX_EVENT_AGE_MS,
    );
  });
});

describe('origins', () => {
  it('matches exact origins and subdomain wildcards only', () => {
    const policy = compileOriginPolicy(['https://shop.example.com', '*.example.org']);
    expect(policy.allows('https://shop.example.com')).toBe(true);
    expect(policy.allows('HTTPS://SHOP.EXAMPLE.COM')).toBe(true);
    expect(policy.allows('http://shop.example.com')).toBe(false);
    expect(policy.allows('https://a.b.example.org')).toBe(true);
    expect(policy.allows('https://example.org')).toBe(false);
    expect(policy.allows('https://evilexample.org')).toBe(false);
    expect(policy.allows('https://example.org.evil.net')).toBe(false);
    expect(policy.allows('null')).toBe(false);
  });
});
