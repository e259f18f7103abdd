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
import { authenticate, presentedCredentials } from './endpoint-users';
import type { StatementPolicy } from './statement-policy';
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
  /** what no user may run, and what the reader may not change */
  policy: StatementPolicy;
  /** the writer user's password */
  writerPassword: string;
  /** settings every read-only (analyst) query runs with */
  readerSettings: ReadonlyMap<string, string>;
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
    const role = authenticate(presentedCredentials(search, req.headers), deps.writerPassword);
    let request = { ...parseQueryRequest(method, search, req.headers), queryId };
    for (const name of request.settings.keys()) deps.policy.checkSetting(name, role);
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
    deps.policy.checkStatement(statement.sql, role);
    const settings =
      role === 'reader' ? new Map([...request.settings, ...deps.readerSettings]) : request.settings;
    // The client going away cancels its statement (ClickHouse's cancel_http_readonly_queries_on_client_close, for every query).
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const clause = isInsert(statement.sql) ? undefined : outputFormatClause(statement.sql);
    const format = canonicalFormat(clause ?? request.defaultFormat);
    const result = await deps.engine.execute({
      ...statement,
      format,
      params: request.params,
      database: request.database,
      settings,
      readonly: role === 'reader' && request.readonly === 0 ? 2 : request.readonly,
      role,
      signal: gone.signal,
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
