/**
 * Errors in ClickHouse's own shape: a numeric code, a type name (SYNTAX_ERROR) and a message,
 * rendered the way the HTTP interface renders them so `@clickhouse/client` parses them into a
 * ClickHouseError with the same `code` and `type` it would get from a real server.
 */

/** An error as the ClickHouse server reports it: `Code: <code>. DB::Exception: <message> (<type>)`. */
export class ClickHouseServerError extends Error {
  override readonly name = 'ClickHouseServerError';

  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error codes this endpoint raises itself (values from ClickHouse's ErrorCodes.cpp). */
export const ErrorCode = Object.freeze({
  UNSUPPORTED_METHOD: [1, 'UNSUPPORTED_METHOD'],
  BAD_ARGUMENTS: [36, 'BAD_ARGUMENTS'],
  SYNTAX_ERROR: [62, 'SYNTAX_ERROR'],
  READONLY: [164, 'READONLY'],
  QUERY_IS_TOO_LARGE: [229, 'QUERY_IS_TOO_LARGE'],
  QUERY_WAS_CANCELLED: [394, 'QUERY_WAS_CANCELLED'],
  SETTING_CONSTRAINT_VIOLATION: [452, 'SETTING_CONSTRAINT_VIOLATION'],
  ACCESS_DENIED: [497, 'ACCESS_DENIED'],
  AUTHENTICATION_FAILED: [516, 'AUTHENTICATION_FAILED'],
  CANNOT_DECOMPRESS: [271, 'CANNOT_DECOMPRESS'],
  UNKNOWN_EXCEPTION: [1002, 'UNKNOWN_EXCEPTION'],
} as const satisfies Record<string, readonly [number, string]>);

/** Builds a ClickHouseServerError from one of {@link ErrorCode}'s entries. */
export function serverError(
  [code, type]: readonly [number, string],
  message: string,
): ClickHouseServerError {
  return new ClickHouseServerError(code, type, message);
}

// chdb reports engine errors as "Code: 62. DB::Exception: <message>. (SYNTAX_ERROR)", possibly
// with a trailing "(version ...)"; the message itself may contain parentheses and newlines.
const ENGINE_ERROR =
  /^Code: (\d+)\. DB::Exception: ([\s\S]*?)\s*\(([A-Z0-9_]+)\)(?: \(version [^)]*\))?\s*$/;

/** Converts whatever the engine (or our own code) threw into a ClickHouseServerError. */
export function toServerError(err: unknown): ClickHouseServerError {
  if (err instanceof ClickHouseServerError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const match = ENGINE_ERROR.exec(text.trim());
  if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
    return new ClickHouseServerError(Number(match[1]), match[3], match[2]);
  }
  const clickhouseCode = (err as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  const code = typeof clickhouseCode === 'number' ? clickhouseCode : ErrorCode.UNKNOWN_EXCEPTION[0];
  return new ClickHouseServerError(code, ErrorCode.UNKNOWN_EXCEPTION[1], text);
}

/** The response body a real server sends for `err`: `Code: 62. DB::Exception: ... (SYNTAX_ERROR) (version 26.7.2.1)\n`. */
export function formatErrorBody(err: ClickHouseServerError, version: string): string {
  return `Code: ${err.code}. DB::Exception: ${err.message} (${err.type}) (version ${version})\n`;
}
