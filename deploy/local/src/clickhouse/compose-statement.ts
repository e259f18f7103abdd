/**
 * Puts the statement of an HTTP request together the way ClickHouse's HTTP handler does: the
 * `query` parameter, then a newline, then the body; or the body alone when there is no `query`
 * parameter. An INSERT's data is kept apart as bytes so the engine parses it straight from the
 * buffer instead of through one large JS string.
 */
import { ErrorCode, serverError } from './clickhouse-error';
import { insertDataOffset, isInsert } from './query-text';

/** A statement's SQL and, for an INSERT with data, the data that follows it. */
export interface Statement {
  sql: string;
  insertData?: Buffer;
}

/** The statement for `urlQuery` (the `query` parameter, if any) and the decoded request `body`. */
export function composeStatement(urlQuery: string | undefined, body: Buffer): Statement {
  let statement: Statement;
  if (urlQuery !== undefined) {
    if (body.length === 0) statement = { sql: urlQuery };
    else if (isInsert(urlQuery)) statement = { sql: urlQuery, insertData: body };
    else statement = { sql: `${urlQuery}\n${body.toString('utf8')}` };
  } else {
    const offset = insertDataOffset(body);
    statement =
      offset === undefined || offset >= body.length
        ? { sql: body.toString('utf8') }
        : { sql: body.subarray(0, offset - 1).toString('utf8'), insertData: body.subarray(offset) };
  }
  if (statement.sql.trim() === '') throw serverError(ErrorCode.SYNTAX_ERROR, 'Empty query');
  return statement;
}
