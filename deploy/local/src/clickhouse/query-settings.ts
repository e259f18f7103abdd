/**
 * Which URL parameters of a ClickHouse HTTP request are engine settings, and how to apply them.
 * The HTTP interface treats every parameter it does not know itself as a setting for the query;
 * parameters that only steer the HTTP layer are ignored here (chdb has no HTTP layer and rejects
 * some of them as UNKNOWN_SETTING).
 */

/** Parameters that are part of the HTTP protocol itself, not settings. */
const PROTOCOL_PARAMS: ReadonlySet<string> = new Set([
  'query',
  'database',
  'default_format',
  'user',
  'password',
  'quota_key',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'stacktrace',
  'role',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'client_protocol_version',
  'readonly',
]);

/** Settings that only affect how the HTTP server talks (compression, progress headers, buffering). */
const HTTP_ONLY_SETTINGS: ReadonlySet<string> = new Set([
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_send_progress_interval_ms',
  'http_response_buffer_size',
  'http_wait_end_of_query',
  'http_native_compression_disable_checksumming_on_decompress',
  'http_response_compression_method',
  'add_http_cors_header',
  'cancel_http_readonly_queries_on_client_close',
  'http_write_exception_in_output_format',
  'http_response_headers',
]);

/** True for a URL parameter that is a query parameter binding (`param_<name>`). */
export function isQueryParam(name: string): boolean {
  return name.startsWith('param_') && name.length > 'param_'.length;
}

/** True for a URL parameter that should be applied to the engine as a setting. */
export function isEngineSetting(name: string): boolean {
  return !PROTOCOL_PARAMS.has(name) && !HTTP_ONLY_SETTINGS.has(name) && !isQueryParam(name);
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can appear unquoted in a SET statement. */
export function isValidSettingName(name: string): boolean {
  return SETTING_NAME.test(name);
}

/** A SQL string literal for `value`; ClickHouse converts it to the setting's own type, as the HTTP server does. */
export function settingLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The SET statement that moves a connection from settings `current` to `wanted`: settings no
 * longer wanted go back to DEFAULT, changed ones get their new value. Undefined when nothing changes.
 */
export function settingsTransition(
  current: ReadonlyMap<string, string>,
  wanted: ReadonlyMap<string, string>,
): string | undefined {
  const parts: string[] = [];
  for (const name of current.keys()) {
    if (!wanted.has(name)) parts.push(`${name} = DEFAULT`);
  }
  for (const [name, value] of wanted) {
    if (current.get(name) !== value) parts.push(`${name} = ${settingLiteral(value)}`);
  }
  return parts.length === 0 ? undefined : `SET ${parts.join(', ')}`;
}
