/**
 * Origin checks for CORS. A pattern is one of:
 * - an exact origin, `https://shop.example.com` or `http://localhost:8080`;
 * - a subdomain wildcard that names its scheme and port, `https://*.example.com`
 *   or `http://*.example.com:8080` (any subdomain, not the apex);
 * - a bare wildcard, `*.example.com`: the same as `https://*.example.com`,
 *   https on the default port only (issue 13 §6: it used to let `http://` and
 *   any port in, so a plain-http page or a service on another port of any
 *   subdomain could send as the site);
 * - `*` (any origin).
 * A default port written out (`https://a.example.com:443`) is the same origin
 * as none, as browsers serialise it.
 */

/** A compiled list of allowed origins. */
export interface OriginPolicy {
  /** Whether a browser `Origin` header value is allowed. */
  allows(origin: string): boolean;
}

interface Wildcard {
  scheme: string;
  /** `.example.com`: the host must end with it and be longer. */
  suffix: string;
  port: string;
}

/** The scheme, host and port (defaulted) of `http(s)://host[:port]`; undefined for anything else (e.g. `null`). */
interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

const DEFAULT_PORT: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** Compiles origin patterns once; checks are then a set lookup plus a few suffix tests. */
export function compileOriginPolicy(patterns: readonly string[]): OriginPolicy {
  const exact = new Set<string>();
  const wildcards: Wildcard[] = [];
  let any = false;
  for (const pattern of patterns) {
    if (pattern === '*') any = true;
    else if (pattern.includes('*')) wildcards.push(compileWildcard(pattern));
    else exact.add(canonicalOrigin(pattern));
  }
  return {
    allows(origin) {
      if (any) return true;
      if (exact.has(canonicalOrigin(origin))) return true;
      if (wildcards.length === 0) return false;
      const parsed = parseOrigin(origin);
      if (parsed === undefined) return false;
      return wildcards.some(
        (w) =>
          w.scheme === parsed.scheme &&
          w.port === parsed.port &&
          parsed.host.endsWith(w.suffix) &&
          parsed.host.length > w.suffix.length,
      );
    },
  };
}

/** `*.d`, `https://*.d` or `http://*.d:8080` → scheme, `.d`, port (https and 443 when not named). */
function compileWildcard(pattern: string): Wildcard {
  const match = /^(?:(https?):\/\/)?\*(\.[^/:?#*]+)(?::(\d{1,5}))?$/i.exec(pattern);
  if (!match?.[2] || (match[1] === undefined && match[3] !== undefined)) {
    throw new Error(`origin pattern ${pattern}: expected *.domain or scheme://*.domain[:port]`);
  }
  const scheme = (match[1] ?? 'https').toLowerCase();
  return {
    scheme,
    suffix: match[2].toLowerCase(),
    port: match[3] === undefined ? (DEFAULT_PORT[scheme] ?? '') : String(Number(match[3])),
  };
}

function parseOrigin(origin: string): ParsedOrigin | undefined {
  const match = /^(https?):\/\/([^/:?#[\]]+)(?::(\d{1,5}))?\/?$/i.exec(origin);
  if (!match?.[1] || !match[2]) return undefined;
  const scheme = match[1].toLowerCase();
  return {
    scheme,
    host: match[2].toLowerCase(),
    port: match[3] === undefined ? (DEFAULT_PORT[scheme] ?? '') : String(Number(match[3])),
  };
}

/** Lower case, no trailing slash, no default port: how browsers serialise an origin. */
function canonicalOrigin(origin: string): string {
  const lower = origin.toLowerCase();
  const trimmed = lower.endsWith('/') ? lower.slice(0, -1) : lower;
  const parsed = parseOrigin(trimmed);
  if (parsed === undefined) return trimmed;
  const port = parsed.port === DEFAULT_PORT[parsed.scheme] ? '' : `:${parsed.port}`;
  return `${parsed.scheme}://${parsed.host}${port}`;
}
