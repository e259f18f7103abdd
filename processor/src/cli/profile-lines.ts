/**
 * The lines of a profiles file for `gosight profiles import`, read as a
 * stream: NDJSON (one `{user_id, segment?, traits?, updated_at?}` object a
 * line) or CSV with a header (RFC 4180 quoting, a quoted field may span
 * lines). CSV columns: `user_id` (required), `segment`, `updated_at`; every
 * other column is a trait with the cell's text (an empty cell is no trait).
 * Each record comes with the line number it starts on, parsed or with why not.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { usageError } from '../errors';

export type ProfileFileFormat = 'csv' | 'ndjson';

/** One record of the file: its first line number and the profile object, or the reason it has none. */
export type ProfileLine =
  { line: number; ok: true; value: unknown } | { line: number; ok: false; reason: string };

/** The format a file name says (.csv, .ndjson, .jsonl), or undefined. */
export function formatOfFile(file: string): ProfileFileFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  return undefined;
}

/** Reads `file` record by record; blank lines are skipped. */
export async function* readProfileLines(
  file: string,
  format: ProfileFileFormat,
): AsyncGenerator<ProfileLine> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  if (format === 'ndjson') {
    let n = 0;
    for await (const text of lines) {
      n += 1;
      if (text.trim() === '') continue;
      yield ndjsonLine(n, text);
    }
    return;
  }
  yield* csvRecords(lines);
}

function ndjsonLine(line: number, text: string): ProfileLine {
  try {
    return { line, ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { line, ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

const KNOWN_COLUMNS = new Set(['user_id', 'segment', 'updated_at']);

async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<ProfileLine> {
  let header: string[] | undefined;
  let n = 0;
  let start = 0;
  let pending: string | undefined;
  for await (const text of lines) {
    n += 1;
    if (pending === undefined) {
      if (text.trim() === '') continue;
      start = n;
    }
    const record: string = pending === undefined ? text : `${pending}\n${text}`;
    const fields = splitCsv(record);
    if (fields === undefined) {
      pending = record; // a quoted field goes on on the next line
      continue;
    }
    pending = undefined;
    if (header === undefined) {
      header = fields.map((f) => f.trim());
      if (!header.includes('user_id')) {
        throw usageError(
          `line ${start}: the CSV header has no user_id column (${header.join(',')})`,
        );
      }
      const duplicate = header.find((name, i) => header?.indexOf(name) !== i);
      if (duplicate !== undefined)
        throw usageError(`line ${start}: column ${duplicate} twice in the header`);
      continue;
    }
    yield csvProfile(start, header, fields);
  }
  if (pending !== undefined) {
    yield {
      line: start,
      ok: false,
      reason: 'a quoted field is not closed before the end of the file',
    };
  }
}

function csvProfile(line: number, header: string[], fields: string[]): ProfileLine {
  if (fields.length !== header.length) {
    return {
      line,
      ok: false,
      reason: `${fields.length} fields, the header has ${header.length}`,
    };
  }
  const value: Record<string, unknown> = {};
  const traits: Record<string, string> = {};
  header.forEach((name, i) => {
    const cell = fields[i] ?? '';
    if (KNOWN_COLUMNS.has(name)) {
      if (cell === '' && name !== 'user_id') return;
      value[name] = name === 'updated_at' && /^\d+$/.test(cell) ? Number(cell) : cell;
    } else if (cell !== '') traits[name] = cell;
  });
  if (Object.keys(traits).length > 0) value.traits = traits;
  return { line, ok: true, value };
}

/** The fields of one CSV record, or undefined while a quoted field is still open. */
export function splitCsv(record: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i += 1) {
    const c = record[i];
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
