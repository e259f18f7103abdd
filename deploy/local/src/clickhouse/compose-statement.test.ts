import { describe, expect, it } from 'vitest';
import { composeStatement } from './compose-statement';
import { multipartBoundary, parseMultipartFields } from './multipart-form';
import { contentTypeFor, countResultRows } from './format-content-type';

describe('composeStatement', () => {
  it('keeps INSERT data from the body apart as bytes', () => {
    const s = composeStatement('INSERT INTO t FORMAT TSV', Buffer.from('1\n2\n'));
    expect([s.sql, s.insertData?.toString()]).toEqual(['INSERT INTO t FORMAT TSV', '1\n2\n']);
  });

  it('joins a non-INSERT query parameter and the body with a newline', () => {
    expect(composeStatement('SELECT', Buffer.from('1')).sql).toBe('SELECT\n1');
  });

  it('splits an INSERT ... FORMAT in the body from its data', () => {
    const s = composeStatement(
      undefined,
      Buffer.from('INSERT INTO t FORMAT JSONEachRow\n{"a":1}\n'),
    );
    expect([s.sql, s.insertData?.toString()]).toEqual([
      'INSERT INTO t FORMAT JSONEachRow',
      '{"a":1}\n',
    ]);
  });

  it('rejects an empty query as SYNTAX_ERROR', () => {
    expect(() => composeStatement(undefined, Buffer.from(' \n'))).toThrow(/Empty query/);
  });
});

describe('parseMultipartFields', () => {
  it('reads the fields @clickhouse/client sends', () => {
    const boundary = multipartBoundary('multipart/form-data; boundary=----b1');
    const body = Buffer.from(
      '------b1\r\nContent-Disposition: form-data; name="query"\r\n\r\nSELECT {s:String}\r\n' +
        '------b1\r\nContent-Disposition: form-data; name="param_s"\r\n\r\na\r\nb\r\n------b1--\r\n',
    );
    expect(boundary).toBe('----b1');
    expect([...parseMultipartFields(body, boundary ?? '')]).toEqual([
      ['query', 'SELECT {s:String}'],
      ['param_s', 'a\r\nb'],
    ]);
  });
});

describe('format headers', () => {
  it('maps formats to the content types ClickHouse sends', () => {
    expect(contentTypeFor('TSV')).toBe('text/tab-separated-values; charset=UTF-8');
    expect(contentTypeFor('JSON')).toBe('application/json; charset=UTF-8');
    expect(contentTypeFor('JSONEachRow')).toBe('application/x-ndjson; charset=UTF-8');
    expect(contentTypeFor('CSVWithNames')).toBe('text/csv; charset=UTF-8; header=present');
    expect(contentTypeFor('RowBinary')).toBe('application/octet-stream');
  });

  it('counts rows of line formats minus their header lines', () => {
    expect(countResultRows('TSVWithNamesAndTypes', Buffer.from('a\nUInt8\n1\n2\n'))).toBe(2);
    expect(countResultRows('JSONEachRow', Buffer.from('{}\n{}\n{}\n'))).toBe(3);
    expect(countResultRows('JSON', Buffer.from('{\n}\n'))).toBe(0);
  });
});
