/**
 * What is stored of the client IP. GeoIP runs on the full address first (what
 * peers do); only the anonymised form (or nothing) leaves the process unless
 * the mode is `full`.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpMode = 'anonymize' | 'full' | 'none';

/** The socket address without an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4` → `1.2.3.4`). */
export function unmapIp(ip: string): string {
  if (ip.startsWith('::ffff:') && isIPv4(ip.slice(7))) return ip.slice(7);
  return ip;
}

/** The IP as stored: IPv4 truncated to /24, IPv6 to /48 (`anonymize`), as is (`full`) or '' (`none`). */
export function storedIp(ip: string, mode: IpMode): string {
  if (mode === 'none') return '';
  if (mode === 'full') return ip;
  return anonymizeIp(ip);
}

/** Zeroes the host part: IPv4 keeps /24, IPv6 keeps /48; anything else becomes ''. */
export function anonymizeIp(ip: string): string {
  if (isIPv4(ip)) return ip.slice(0, ip.lastIndexOf('.')) + '.0';
  if (!isIPv6(ip)) return '';
  const groups = expandIpv6(ip);
  if (groups === undefined) return '';
  return `${groups[0]}:${groups[1]}:${groups[2]}::`;
}

/**
 * Whom a rate limit counts: an IPv4 address as is, an IPv6 address by its /64.
 * One subscriber gets at least a /64 and picks addresses in it at will (privacy
 * extensions rotate them), so per-address counting would not limit anyone.
 */
export function rateLimitSubject(ip: string): string {
  const address = unmapIp(ip);
  if (!isIPv6(address)) return address;
  const groups = expandIpv6(address);
  return groups === undefined ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without leading zeros; undefined if it is not one. */
function expandIpv6(ip: string): string[] | undefined {
  const zone = ip.indexOf('%');
  const address = (zone === -1 ? ip : ip.slice(0, zone)).toLowerCase();
  const [head = '', tail] = address.split('::');
  const parse = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let left = parse(head);
  let right = tail === undefined ? [] : parse(tail);
  // An embedded IPv4 tail (e.g. ::ffff:1.2.3.4) counts as two hextets.
  const toHextets = (groups: string[]): string[] =>
    groups.flatMap((group) => {
      if (!group.includes('.')) return [group];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  left = toHextets(left);
  right = toHextets(right);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups.map((group) => parseInt(group, 16).toString(16));
}
