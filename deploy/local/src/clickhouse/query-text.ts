/**
 * Just enough lexing of SQL text to answer the questions the HTTP layer has before the engine
 * runs a query: what kind of statement it is, and which FORMAT clause (if any) it ends with.
 * Strings, quoted identifiers, comments and parentheses are skipped so a FORMAT inside them
 * (e.g. the `format()` table function) is not mistaken for the clause.
 */
import { skipQuoted } from './sql-tokens';

/** A bare word of the query at parenthesis depth 0, with where it starts and ends. */
interface Word {
  text: string;
  start: number;
  end: number;
}

/** Index just past the comment starting at `i`, or `i` when none starts there. */
function skipComment(sql: string, i: number): number {
  const two = sql.slice(i, i + 2);
  if (two === '--' || sql[i] === '#') {
    const nl = sql.indexOf('\n', i);
    return nl === -1 ? sql.length : nl + 1;
  }
  if (two === '/*') {
    const close = sql.indexOf('*/', i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}

/** Top-level words of `sql`, stopping after `limit` characters (inline INSERT data can be huge). */
function topLevelWords(sql: string, limit = sql.length): Word[] {
  const words: Word[] = [];
  let depth = 0;
  let i = 0;
  const end = Math.min(sql.length, limit);
  while (i < end) {
    const c = sql[i] ?? '';
    const afterComment = skipComment(sql, i);
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      continue;
    }
    if (c === '(' || c === '[') depth += 1;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (/[A-Za-z_]/.test(c)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256))?.[0] ?? c;
      if (depth === 0) words.push({ text, start: i, end: i + text.length });
      i += text.length;
      continue;
    }
    i += 1;
  }
  return words;
}

/** The statement's first keyword in upper case (`SELECT`, `INSERT`, ...), or '' for an empty query. */
export function leadingKeyword(sql: string): string {
  return topLevelWords(sql, 4096)[0]?.text.toUpperCase() ?? '';
}

/** True when the statement is an INSERT. */
export function isInsert(sql: string): boolean {
  return leadingKeyword(sql) === 'INSERT';
}

/**
 * The output format named by a trailing `FORMAT <name>` clause, or undefined. Only a clause
 * followed by nothing but optional SETTINGS / a semicolon counts, so a column called `format`
 * is not taken for one. Not meaningful for INSERT (its FORMAT names the input).
 */
export function outputFormatClause(sql: string): string | undefined {
  const words = topLevelWords(sql);
  for (let k = words.length - 2; k >= 0; k -= 1) {
    const word = words[k];
    const name = words[k + 1];
    if (word === undefined || name === undefined || word.text.toUpperCase() !== 'FORMAT') continue;
    if (!/^\s+$/.test(sql.slice(word.end, name.start))) continue;
    const rest = sql.slice(name.end).trim();
    if (rest === '' || rest === ';' || /^SETTINGS\b/i.test(rest)) return name.text;
  }
  return undefined;
}

/**
 * For an `INSERT ... FORMAT <name>` whose data follows on the next line, the byte offset where
 * the statement ends and the data begins (just past that newline); undefined otherwise.
 */
export function insertDataOffset(body: Buffer): number | undefined {
  const newline = body.indexOf(0x0a);
  if (newline === -1) return undefined;
  const head = body.subarray(0, newline).toString('utf8');
  if (!isInsert(head)) return undefined;
  const words = topLevelWords(head);
  const last = words[words.length - 1];
  const format = words[words.length - 2];
  if (last === undefined || format?.text.toUpperCase() !== 'FORMAT') return undefined;
  return head.slice(last.end).trim() === '' ? newline + 1 : undefined;
}
