/**
 * Keeps web pages away from the endpoint. A page the operator visits can POST `text/plain` to
 * 127.0.0.1:8123 without a CORS preflight, and DNS rebinding can make a hostile name resolve
 * to 127.0.0.1. So a request is refused when it carries an `Origin` that is not explicitly
 * allowed, when a browser marks it as coming from another site (`Sec-Fetch-Site`), or when its
 * `Host` is not a loopback name or a configured one. Clients that are not browsers (curl,
 * `@clickhouse/client`, clickhouse-connect) send none of these headers and are unaffected.
 */
import type { ClickHouseServerError } from './clickhouse-error';
import { ErrorCode, serverError } from './clickhouse-error';
import { header, type RequestHeaders } from './parse-request';

/** Options for {@link createBrowserGuard}. */
export interface BrowserGuardOptions {
  /** extra host names accepted in `Host` (loopback names always are) */
  allowedHosts?: readonly string[];
  /** origins (`scheme://host[:port]`) whose pages may query the endpoint; none by default */
  allowedOrigins?: readonly string[];
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The host name of a Host header value, lower case, without the port. */
function hostName(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function forbidden(message: string): ClickHouseServerError {
  return serverError(ErrorCode.ACCESS_DENIED, message);
}

/** A check that throws ACCESS_DENIED (HTTP 403) for requests a web page could have sent. */
export function createBrowserGuard(
  opts: BrowserGuardOptions = {},
): (headers: RequestHeaders) => void {
  const hosts = new Set(
    [...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );
  const origins = new Set((opts.allowedOrigins ?? []).map((o) => o.toLowerCase()));
  return (headers) => {
    const host = header(headers, 'host');
    if (host !== undefined && !hosts.has(hostName(host))) {
      throw forbidden(
        `Host '${host.slice(0, 100)}' is not allowed: the endpoint answers only to ` +
          `${[...hosts].join(', ')} (DNS rebinding protection)`,
      );
    }
    const origin = header(headers, 'origin');
    if (origin !== undefined && !origins.has(origin.toLowerCase())) {
      throw forbidden(
        `Requests from web pages are not allowed (Origin '${origin.slice(0, 100)}'); ` +
          'query the endpoint from a client, not a browser page',
      );
    }
    const site = header(headers, 'sec-fetch-site');
    if (origin === undefined && site !== undefined && site !== 'none' && site !== 'same-origin') {
      throw forbidden(`Requests from web pages are not allowed (Sec-Fetch-Site: ${site})`);
    }
  };
}
