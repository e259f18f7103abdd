/**
 * Turns the URL and headers of a ClickHouse HTTP request into what the query runner needs:
 * the SQL from the `query` parameter, database, formats, `param_*` bindings, settings and the
 * HTTP-level switches (compression, readonly). Pure: no I/O.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, serverError } from './clickhouse-error';
import { isEngineSetting, isQueryParam, isValidSettingName } from './query-settings';

/** A parsed ClickHouse HTTP request, before its body is read. */
export interface QueryRequest {
  /** SQL from the `query` URL parameter (or multipart field), if given */
  urlQuery: string | undefined;
  database: string;
  /** `default_format` parameter: the output format when the query has no FORMAT clause */
  defaultFormat: string;
  queryId: string;
  /** `param_<name>` values, verbatim (already in ClickHouse's escaped text form) */
  params: Record<string, string>;
  /** engine settings for this query only, in the order given */
  settings: Map<string, string>;
  /** 0 = writes allowed; 1/2 as ClickHouse's `readonly` (GET implies 2) */
  readonly: 0 | 1 | 2;
  /** `enable_http_compression=1`: compress the response when the client accepts it */
  compressResponse: boolean;
  /** zlib level from `http_zlib_compression_level`, default 3 as in ClickHouse */
  compressionLevel: number;
}

/** Request headers the parser looks at (node's IncomingHttpHeaders fits). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The first value of request header `name` (lower case), if any. */
export function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readonlyOf(method: string, search: URLSearchParams): 0 | 1 | 2 {
  const asked = search.get('readonly');
  const level = asked === null ? 0 : Number.parseInt(asked, 10);
  if (level === 1) return 1;
  // ClickHouse: "For queries over HTTP, method GET implies readonly" (readonly=2 keeps SET usable).
  if (level === 2 || method === 'GET' || method === 'HEAD') return 2;
  return 0;
}

/** Parses a request's method, URL search parameters and headers; throws a ClickHouseServerError on bad input. */
export function parseQueryRequest(
  method: string,
  search: URLSearchParams,
  headers: RequestHeaders,
): QueryRequest {
  const params: Record<string, string> = {};
  const settings = new Map<string, string>();
  for (const [name, value] of search) {
    if (isQueryParam(name)) params[name.slice('param_'.length)] = value;
    else if (isEngineSetting(name)) {
      if (!isValidSettingName(name)) {
        throw serverError(ErrorCode.BAD_ARGUMENTS, `Invalid setting name '${name}'`);
      }
      settings.set(name, value);
    }
  }
  const level = Number.parseInt(search.get('http_zlib_compression_level') ?? '3', 10);
  return {
    urlQuery: search.get('query') ?? undefined,
    database: header(headers, 'x-clickhouse-database') ?? search.get('database') ?? 'default',
    defaultFormat:
      header(headers, 'x-clickhouse-format') ?? search.get('default_format') ?? 'TabSeparated',
    queryId: search.get('query_id') || randomUUID(),
    params,
    settings,
    readonly: readonlyOf(method, search),
    compressResponse: search.get('enable_http_compression') === '1',
    compressionLevel: Number.isInteger(level) && level >= 1 && level <= 9 ? level : 3,
  };
}

/** Adds fields from a multipart/form-data body (`query`, `param_*`) to an already parsed request. */
export function withFormFields(
  request: QueryRequest,
  fields: ReadonlyMap<string, string>,
): QueryRequest {
  const params = { ...request.params };
  for (const [name, value] of fields)
    if (isQueryParam(name)) params[name.slice('param_'.length)] = value;
  return { ...request, urlQuery: fields.get('query') ?? request.urlQuery, params };
}
