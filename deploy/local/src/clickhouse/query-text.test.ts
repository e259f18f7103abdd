import { describe, expect, it } from 'vitest';
import { insertDataOffset, isInsert, leadingKeyword, outputFormatClause } from './query-text';

describe('leadingKeyword / isInsert', () => {
  it('skips comments and whitespace before the first keyword', () => {
    expect(leadingKeyword('  -- note\n/* c */ insert into t values (1)')).toBe('INSERT');
    expect(isInsert('SELECT 1')).toBe(false);
    expect(leadingKeyword('   ')).toBe('');
  });
});

describe('outputFormatClause', () => {
  it('finds a trailing FORMAT clause, also before SETTINGS or a semicolon', () => {
    expect(outputFormatClause('SELECT 1 FORMAT JSONEachRow')).toBe('JSONEachRow');
    expect(outputFormatClause('SELECT 1\nFORMAT JSON SETTINGS max_threads = 1')).toBe('JSON');
    expect(outputFormatClause('select 1 format CSV;')).toBe('CSV');
  });

  it('ignores FORMAT inside strings, comments, parentheses, and column names', () => {
    expect(outputFormatClause("SELECT 'FORMAT JSON'")).toBeUndefined();
    expect(outputFormatClause('SELECT 1 -- FORMAT JSON')).toBeUndefined();
    expect(outputFormatClause('SELECT * FROM format(JSONEachRow, \'{"a":1}\')')).toBeUndefined();
    expect(outputFormatClause('SELECT format FROM t')).toBeUndefined();
    expect(outputFormatClause('SELECT 1 AS `FORMAT JSON`')).toBeUndefined();
  });
});

describe('insertDataOffset', () => {
  it('points just past the newline after INSERT ... FORMAT <name>', () => {
    const body = Buffer.from('INSERT INTO t (a, b) SETTINGS x = 1 FORMAT JSONEachRow\n{"a":1}\n');
    const offset = insertDataOffset(body);
    expect(body.subarray(offset).toString()).toBe('{"a":1}\n');
  });

  it('is undefined for VALUES, for non-INSERTs and when data shares the first line', () => {
    expect(insertDataOffset(Buffer.from('INSERT INTO t VALUES\n(1)'))).toBeUndefined();
    expect(insertDataOffset(Buffer.from('SELECT 1 FORMAT TSV\n'))).toBeUndefined();
    expect(insertDataOffset(Buffer.from('INSERT INTO t FORMAT TSV 1\n2\n'))).toBeUndefined();
  });
});
