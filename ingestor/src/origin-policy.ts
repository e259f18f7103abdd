/**
 * Origin checks for CORS: exact origins (`https://shop.example.com`),
 * subdomain wildcards (`*.example.com`, any subdomain over http or https, not
 * the apex) and `*` (any origin).
 */

/** A compiled list of allowed origins. */
export interface OriginPolicy {
  /** Whether a browser `Origin` header value is allowed. */
  allows(origin: string): boolean;
}

/** Compiles origin patterns once; checks are then a set lookup plus a few suffix tests. */
export function compileOriginPolicy(patterns: readonly string[]): OriginPolicy {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  for (const pattern of patterns) {
    if (pattern === '*') any = true;
    else if (pattern.startsWith('*.')) suffixes.push(pattern.slice(1).toLowerCase());
    else exact.add(normaliseOrigin(pattern));
  }
  return {
    allows(origin) {
      if (any) return true;
      const normal = normaliseOrigin(origin);
      if (exact.has(normal)) return true;
      if (suffixes.length === 0) return false;
      const host = hostOf(normal);
      if (host === undefined) return false;
      return suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
    },
  };
}

function normaliseOrigin(origin: string): string {
  const lower = origin.toLowerCase();
  return lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/** Host without port of `http(s)://host[:port]`, or undefined for anything else (e.g. `null`). */
function hostOf(origin: string): string | undefined {
  const match = /^https?:\/\/([^/:?#]+)(:\d+)?$/.exec(origin);
  return match?.[1];
}
