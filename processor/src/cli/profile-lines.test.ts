import { describe, expect, it } from 'vitest';
import { parseProfilesArgs } from './profiles-args';
import { formatOfFile, splitCsv } from './profile-lines';

describe('profiles file reading', () => {
  it('splits CSV records with RFC 4180 quotes, and says when a quoted field is still open', () => {
    expect(splitCsv('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(splitCsv('"a,1","say ""hi""",')).toEqual(['a,1', 'say "hi"', '']);
    expect(splitCsv('a,"two\nlines"')).toEqual(['a', 'two\nlines']);
    expect(splitCsv('a,"open')).toBeUndefined();
    // A quote inside an unquoted field is text.
    expect(splitCsv('5" disk,x')).toEqual(['5" disk', 'x']);
  });

  it('tells the format from the file name', () => {
    expect(['a.csv', 'b.NDJSON', 'c.jsonl', 'd.json'].map(formatOfFile)).toEqual([
      'csv',
      'ndjson',
      'ndjson',
      undefined,
    ]);
  });

  it('parses the import flags', () => {
    expect(parseProfilesArgs(['import', 'x.csv', '--project', 'pk'])).toEqual({
      name: 'profiles-import',
      file: 'x.csv',
      format: 'csv',
      project: 'pk',
    });
    expect(parseProfilesArgs(['import', 'x.txt', '--project', 'pk', '--format', 'ndjson'])).toEqual(
      expect.objectContaining({ format: 'ndjson' }),
    );
    expect(parseProfilesArgs([])).toBeUndefined();
    expect(() => parseProfilesArgs(['export'])).toThrow(/unknown profiles command "export"/);
    expect(() => parseProfilesArgs(['import', 'a.csv', 'b.csv', '--project', 'p'])).toThrow(
      /one FILE is expected, got 2/,
    );
    expect(() =>
      parseProfilesArgs(['import', 'a.csv', '--project', 'p', '--format', 'xml']),
    ).toThrow(/--format expects csv or ndjson/);
  });
});
