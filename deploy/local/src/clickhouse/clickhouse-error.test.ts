import { describe, expect, it } from 'vitest';
import { ClickHouseServerError, formatErrorBody, toServerError } from './clickhouse-error';
import { httpStatusForErrorType } from './error-status';

// The regex @clickhouse/client (client-common/dist/error/error.js) parses error bodies with.
const clientErrorRe =
  /(Code|Error): (?<code>\d+).*Exception: (?<message>.+?)\((?<type>(?=[A-Z0-9_]*[A-Z]{3})[A-Z0-9_]+)\)/s;

describe('toServerError', () => {
  it('reads code, message and type from a chdb engine message', () => {
    const e = toServerError(
      new Error(
        "Code: 60. DB::Exception: Unknown table expression identifier 'x' (in scope). (UNKNOWN_TABLE)",
      ),
    );
    expect([e.code, e.type, e.message]).toEqual([
      60,
      'UNKNOWN_TABLE',
      "Unknown table expression identifier 'x' (in scope).",
    ]);
  });

  it('falls back to UNKNOWN_EXCEPTION with the clickhouseCode when the text has no code', () => {
    const err = Object.assign(new Error('boom'), { clickhouseCode: 236 });
    expect(toServerError(err)).toMatchObject({
      code: 236,
      type: 'UNKNOWN_EXCEPTION',
      message: 'boom',
    });
  });
});

describe('formatErrorBody', () => {
  it('is what @clickhouse/client parses into the same code and type', () => {
    const body = formatErrorBody(
      new ClickHouseServerError(
        62,
        'SYNTAX_ERROR',
        'Syntax error: failed at position 1 (line 1, col 1)',
      ),
      '26.7.2.1',
    );
    expect(body).toBe(
      'Code: 62. DB::Exception: Syntax error: failed at position 1 (line 1, col 1) (SYNTAX_ERROR) (version 26.7.2.1)\n',
    );
    expect(clientErrorRe.exec(body)?.groups).toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });
  });
});

describe('httpStatusForErrorType', () => {
  it('follows ClickHouse: 400 for syntax, 404 for unknown objects, 413, 500 otherwise', () => {
    expect(httpStatusForErrorType('SYNTAX_ERROR')).toBe(400);
    expect(httpStatusForErrorType('UNKNOWN_TABLE')).toBe(404);
    expect(httpStatusForErrorType('UNKNOWN_DATABASE')).toBe(404);
    expect(httpStatusForErrorType('QUERY_IS_TOO_LARGE')).toBe(413);
    expect(httpStatusForErrorType('TIMEOUT_EXCEEDED')).toBe(408);
    expect(httpStatusForErrorType('READONLY')).toBe(500);
  });
});
