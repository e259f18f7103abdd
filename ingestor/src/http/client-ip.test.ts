import { describe, expect, it } from 'vitest';
import { rateLimitSubject } from './client-ip';

describe('rate-limit subject', () => {
  it('counts an IPv4 address (also IPv4-mapped) as itself', () => {
    expect(rateLimitSubject('203.0.113.9')).toBe('203.0.113.9');
    expect(rateLimitSubject('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts every IPv6 address of one /64 as the same client, whatever its spelling', () => {
    const subject = rateLimitSubject('2001:db8:aa:bb::1');
    expect(subject).toBe('2001:db8:aa:bb::/64');
    expect(rateLimitSubject('2001:0db8:00aa:00bb:1234:5678:9abc:def0')).toBe(subject);
    expect(rateLimitSubject('2001:DB8:AA:BB:FFFF::')).toBe(subject);
    expect(rateLimitSubject('2001:db8:aa:bb::1%eth0')).toBe(subject);
  });

  it('tells different /64s apart', () => {
    expect(rateLimitSubject('2001:db8:aa:bc::1')).not.toBe(rateLimitSubject('2001:db8:aa:bb::1'));
    expect(rateLimitSubject('::1')).toBe('0:0:0:0::/64');
  });
});
