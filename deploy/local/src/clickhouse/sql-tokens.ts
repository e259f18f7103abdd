/**
 * A small SQL tokenizer for the access checks: it splits a statement into names (bare words and
 * back-quoted or double-quoted identifiers), string literals and punctuation, skipping comments
 * and whitespace, the same way ClickHouse's lexer delimits them. It does not parse: the checks
 * built on it look at names in their neighbourhood (`name (` is a call, `name =` an assignment).
 */

/** One token; `text` of a quoted identifier is unquoted, string literals keep no text. */
export interface SqlToken {
  kind: 'name' | 'string' | 'number' | 'punct';
  text: string;
  /** offset of the token's first character in the statement */
  start: number;
}

/** Index just past the quoted run starting at `i` (backslash and doubled-quote escapes). */
export function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === '\\') j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2;
    else if (c === quote) return j + 1;
    else j += 1;
  }
  return j;
}

function unquote(raw: string, quote: string): string {
  return raw
    .slice(1, raw.endsWith(quote) && raw.length > 1 ? -1 : undefined)
    .replace(/\\(.)/g, '$1')
    .split(quote + quote)
    .join(quote);
}

/** Index after the comment or whitespace run at `i` (i itself when there is none). */
function skipBlank(sql: string, i: number): number {
  let j = i;
  for (;;) {
    const c = sql[j];
    if (c === undefined) return j;
    if (/\s/.test(c)) j += 1;
    else if (c === '#' || sql.startsWith('--', j)) {
      const nl = sql.indexOf('\n', j);
      j = nl === -1 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', j)) {
      // ClickHouse's block comments nest.
      let depth = 0;
      let k = j;
      while (k < sql.length) {
        if (sql.startsWith('/*', k)) {
          depth += 1;
          k += 2;
        } else if (sql.startsWith('*/', k)) {
          depth -= 1;
          k += 2;
          if (depth === 0) break;
        } else k += 1;
      }
      j = k;
    } else return j;
  }
}

/** The tokens of `sql` in order. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = skipBlank(sql, 0);
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (c === "'") {
      const end = skipQuoted(sql, i, c);
      tokens.push({ kind: 'string', text: '', start: i });
      i = end;
    } else if (c === '"' || c === '`') {
      const end = skipQuoted(sql, i, c);
      tokens.push({ kind: 'name', text: unquote(sql.slice(i, end), c), start: i });
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const word = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i, i + 512))?.[0] ?? c;
      tokens.push({ kind: 'name', text: word, start: i });
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      const num = /^[0-9A-Za-z_.]+/.exec(sql.slice(i, i + 512))?.[0] ?? c;
      tokens.push({ kind: 'number', text: num, start: i });
      i += num.length;
    } else {
      tokens.push({ kind: 'punct', text: c, start: i });
      i += 1;
    }
    i = skipBlank(sql, i);
  }
  return tokens;
}
