/**
 * Answers one query request (`GET /?query=...` or `POST /`): parse, read the body, run the
 * statement on the engine, reply with the result or a ClickHouse-style error.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChdbEngine } from './chdb-engine';
import { toServerError } from './clickhouse-error';
import { composeStatement } from './compose-statement';
import { canonicalFormat, contentTypeFor, countResultRows } from './format-content-type';
import { multipartBoundary, parseMultipartFields } from './multipart-form';
import { parseQueryRequest, withFormFields } from './parse-request';
import { isInsert, outputFormatClause } from './query-text';
import { readBody } from './read-body';
import {
  identityHeaders,
  sendError,
  sendResult,
  summaryHeader,
  type ServerIdentity,
} from './send-response';

/** What a query handler needs from the server. */
export interface QueryHandlerDeps {
  engine: ChdbEngine;
  identity: ServerIdentity;
  maxBodyBytes: number;
}

/** Handles a query request end to end; never rejects (failures become error responses). */
export async function handleQuery(
  req: IncomingMessage,
  res: ServerResponse,
  search: URLSearchParams,
  deps: QueryHandlerDeps,
): Promise<void> {
  const queryId = search.get('query_id') || randomUUID();
  try {
    const method = req.method ?? 'GET';
    let request = { ...parseQueryRequest(method, search, req.headers), queryId };
    let body =
      method === 'POST'
        ? await readBody(req, req.headers['content-encoding'], deps.maxBodyBytes)
        : Buffer.alloc(0);
    const boundary = multipartBoundary(req.headers['content-type']);
    if (boundary !== undefined) {
      request = withFormFields(request, parseMultipartFields(body, boundary));
      body = Buffer.alloc(0);
    }
    const statement = composeStatement(request.urlQuery, body);
    const clause = isInsert(statement.sql) ? undefined : outputFormatClause(statement.sql);
    const format = canonicalFormat(clause ?? request.defaultFormat);
    const result = await deps.engine.execute({
      ...statement,
      format,
      params: request.params,
      database: request.database,
      settings: request.settings,
      readonly: request.readonly,
    });
    const summary = summaryHeader({
      read_rows: result.readRows,
      read_bytes: result.readBytes,
      written_rows: result.writtenRows,
      written_bytes: result.writtenBytes,
      result_rows: countResultRows(format, result.body),
      result_bytes: result.body.length,
      elapsed_ns: result.elapsedNs,
    });
    await sendResult(res, {
      body: result.body,
      headers: {
        ...identityHeaders(deps.identity, queryId),
        'Content-Type': contentTypeFor(format),
        'X-ClickHouse-Format': format,
        'X-ClickHouse-Summary': summary,
      },
      compress: {
        enabled: request.compressResponse,
        acceptEncoding: req.headers['accept-encoding'],
        level: request.compressionLevel,
      },
    });
  } catch (err) {
    const error = toServerError(err);
    if (error.type === 'READONLY' && req.method === 'GET') {
      // ClickHouse says the same (HTTPHandler), so users know why a GET insert fails.
      error.message +=
        ' For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries';
    }
    sendError(res, error, deps.identity, queryId);
  }
}
