/**
 * The ingestor's error catalogue: every error answer has a stable `code`, an
 * HTTP status and a `retriable` flag (whether the same request may succeed
 * later). Documented in ingestor/README.md ("Error codes"); change codes only
 * with a note there, clients and dashboards key on them.
 */
import type { ErrorBody } from '@gosight/schema';

export const ERROR_CATALOGUE = {
  BODY_EMPTY: { status: 400, retriable: false, message: 'the request body is empty' },
  BODY_INVALID_JSON: { status: 400, retriable: false, message: 'the body is not valid JSON' },
  BODY_INVALID_UTF8: { status: 400, retriable: false, message: 'the body is not valid UTF-8' },
  BODY_TOO_DEEP: { status: 400, retriable: false, message: 'the JSON nests too deeply' },
  BODY_FORBIDDEN_KEY: {
    status: 400,
    retriable: false,
    message: 'the JSON has a forbidden key (__proto__, constructor or prototype)',
  },
  BODY_BAD_ENCODING: {
    status: 400,
    retriable: false,
    message: 'unsupported or corrupt Content-Encoding (only gzip and identity are accepted)',
  },
  BODY_TOO_LARGE: {
    status: 413,
    retriable: false,
    message: 'the body is larger than 64 KiB decoded',
  },
  CONTENT_TYPE_UNSUPPORTED: {
    status: 400,
    retriable: false,
    message: 'Content-Type must be text/plain or application/json',
  },
  BATCH_INVALID: { status: 400, retriable: false, message: 'the batch is malformed' },
  PROJECT_UNKNOWN: { status: 401, retriable: false, message: 'unknown project key' },
  ORIGIN_FORBIDDEN: {
    status: 403,
    retriable: false,
    message: 'this origin is not allowed for the project',
  },
  PROFILES_FROM_BROWSER: {
    status: 403,
    retriable: false,
    message:
      'POST /v1/profiles is server to server: a request from a browser (Origin or Sec-Fetch-* header) is refused; never put the project secret in a page',
  },
  SECRET_MISSING: {
    status: 401,
    retriable: false,
    message: 'POST /v1/profiles needs the header Authorization: Bearer <project secret>',
  },
  SECRET_INVALID: {
    status: 401,
    retriable: false,
    message: 'the secret matches no project (GOSIGHT_PROJECTS "secret")',
  },
  PROFILES_INVALID: { status: 400, retriable: false, message: 'the profiles are malformed' },
  RATE_LIMITED: { status: 429, retriable: true, message: 'too many requests, retry later' },
  BUS_BUFFER_FULL: {
    status: 503,
    retriable: true,
    message: 'the event bus cannot take more events right now, retry later',
  },
  BUS_TIMEOUT: {
    status: 503,
    retriable: true,
    message: 'the event bus did not acknowledge in time, retry later',
  },
  BUS_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message: 'the event bus refused the events, retry later',
  },
  NOT_READY: {
    status: 503,
    retriable: true,
    message: 'not ready: the event bus is unreachable, stalled or its buffer is full',
  },
  SHUTTING_DOWN: { status: 503, retriable: true, message: 'the ingestor is shutting down' },
  SALT_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message: 'the salt of cookieless visitor ids (Redis) is unreachable, retry later',
  },
  TOO_MANY_CONNECTIONS: {
    status: 503,
    retriable: true,
    message: 'too many open connections, retry later',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    retriable: true,
    message: 'the request was not received in time',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    retriable: false,
    message: 'the request headers are too large',
  },
  BAD_REQUEST: { status: 400, retriable: false, message: 'malformed HTTP request' },
  BAD_URL: {
    status: 400,
    retriable: false,
    message: 'the URL is not valid (bad percent-encoding)',
  },
  NOT_FOUND: { status: 404, retriable: false, message: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, message: 'method not allowed' },
  SDK_NOT_BUILT: {
    status: 404,
    retriable: false,
    message: 'the SDK bundle is missing: run `npm run build -w sdk`',
  },
  INTERNAL: { status: 500, retriable: true, message: 'internal error' },
} as const satisfies Record<string, { status: number; retriable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error the ingestor answers with; `retryAfterSeconds` becomes the Retry-After header. */
export class IngestError extends Error {
  readonly status: number;
  readonly retriable: boolean;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly path?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'IngestError';
    this.status = ERROR_CATALOGUE[code].status;
    this.retriable = ERROR_CATALOGUE[code].retriable;
  }
}

/** Builds the `ErrorBody` of an answer for `error`. */
export function errorBody(error: IngestError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.path !== undefined) body.error.path = error.path;
  return body;
}

/** Maps Fastify's own errors (body limit, content type, bad JSON…) onto the catalogue. */
export function fromFrameworkError(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new IngestError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new IngestError('CONTENT_TYPE_UNSUPPORTED')
        : new IngestError('BODY_INVALID_JSON', 'the body length does not match Content-Length');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new IngestError('BODY_EMPTY');
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new IngestError('BODY_BAD_ENCODING');
    default:
      break;
  }
  if (typeof status === 'number' && status === 413) return new IngestError('BODY_TOO_LARGE');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new IngestError('BODY_INVALID_JSON', 'the request could not be read');
  }
  return new IngestError('INTERNAL');
}
