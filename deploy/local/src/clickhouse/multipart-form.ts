/**
 * Reads the text fields of a multipart/form-data body. `@clickhouse/client` sends long query
 * parameters this way (`use_multipart_params`): a `query` field plus one `param_<name>` field each.
 */
import { ErrorCode, serverError } from './clickhouse-error';

/** The boundary of a multipart/form-data Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Field name → text value for every part of `body`; throws BAD_ARGUMENTS when it is malformed. */
export function parseMultipartFields(body: Buffer, boundary: string): Map<string, string> {
  const fields = new Map<string, string>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at === -1) throw serverError(ErrorCode.BAD_ARGUMENTS, 'Malformed multipart/form-data body');
  for (;;) {
    const partStart = at + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') return fields;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1)
      throw serverError(ErrorCode.BAD_ARGUMENTS, 'Unterminated multipart/form-data body');
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1)
      throw serverError(ErrorCode.BAD_ARGUMENTS, 'Multipart part without headers');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    // The value runs to the CRLF that precedes the next delimiter.
    const value = part.subarray(headerEnd + 4, Math.max(headerEnd + 4, part.length - 2));
    if (name !== undefined) fields.set(name, value.toString('utf8'));
    at = next;
  }
}
