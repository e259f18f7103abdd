/**
 * The Content-Type a ClickHouse server sends for each output format (its formats'
 * getContentType()), plus which formats are one row per line so result rows can be counted.
 */

const NDJSON = 'application/x-ndjson; charset=UTF-8';
const JSON_TYPE = 'application/json; charset=UTF-8';
const TSV = 'text/tab-separated-values; charset=UTF-8';
const BINARY = 'application/octet-stream';

/** Format names are case-insensitive; aliases map to their canonical name. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['tsv', 'TabSeparated'],
  ['tsvraw', 'TabSeparatedRaw'],
  ['raw', 'TabSeparatedRaw'],
  ['tsvwithnames', 'TabSeparatedWithNames'],
  ['tsvwithnamesandtypes', 'TabSeparatedWithNamesAndTypes'],
  ['jsonlines', 'JSONEachRow'],
  ['ndjson', 'JSONEachRow'],
]);

/** Canonical spelling of a format name as the server echoes it in X-ClickHouse-Format. */
export function canonicalFormat(name: string): string {
  return ALIASES.get(name.toLowerCase()) ?? name;
}

/** The Content-Type header for results in `format`. */
export function contentTypeFor(format: string): string {
  const f = canonicalFormat(format).toLowerCase();
  if (f.startsWith('tabseparated')) return TSV;
  if (f === 'csv') return 'text/csv; charset=UTF-8; header=absent';
  if (f.startsWith('csvwithnames')) return 'text/csv; charset=UTF-8; header=present';
  if (f.startsWith('json') && f.includes('eachrow') && f !== 'jsonobjecteachrow') return NDJSON;
  if (f.startsWith('json') || f === 'prettyjsoneachrow') return JSON_TYPE;
  if (f === 'xml') return 'application/xml; charset=UTF-8';
  if (
    /^(native|rowbinary|parquet|arrow|arrowstream|orc|avro|msgpack|protobuf|capnproto|npy|bsoneachrow)/.test(
      f,
    )
  ) {
    return BINARY;
  }
  return 'text/plain; charset=UTF-8';
}

/** Header lines before the first row in a line-per-row format, or undefined when rows are not lines. */
function headerLines(format: string): number | undefined {
  const f = canonicalFormat(format).toLowerCase();
  const base = f.replace(/withnamesandtypes$/, '').replace(/withnames$/, '');
  const lineFormats = [
    'tabseparated',
    'tabseparatedraw',
    'jsoneachrow',
    'jsoncompacteachrow',
    'jsonstringseachrow',
    'jsoncompactstringseachrow',
  ];
  if (!lineFormats.includes(base)) return undefined;
  if (f.endsWith('withnamesandtypes')) return 2;
  return f.endsWith('withnames') ? 1 : 0;
}

/** Result rows in `body` for one-row-per-line formats (not CSV: quoted fields may hold newlines), else 0. */
export function countResultRows(format: string, body: Buffer): number {
  const header = headerLines(format);
  if (header === undefined || body.length === 0) return 0;
  let lines = 0;
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) lines += 1;
  return Math.max(0, lines - header);
}
