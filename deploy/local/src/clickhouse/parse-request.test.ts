import { describe, expect, it } from 'vitest';
import { parseQueryRequest, withFormFields } from './parse-request';

describe('parseQueryRequest', () => {
  it('splits parameters into query, params, settings and HTTP switches', () => {
    const search = new URLSearchParams({
      query: 'SELECT {id:UInt32}',
      database: 'gosight',
      default_format: 'JSON',
      query_id: 'q1',
      session_id: 's1',
      param_id: '7',
      max_execution_time: '5',
      wait_end_of_query: '1',
      enable_http_compression: '1',
      http_zlib_compression_level: '6',
    });
    const r = parseQueryRequest('POST', search, {});
    expect(r).toMatchObject({
      urlQuery: 'SELECT {id:UInt32}',
      database: 'gosight',
      defaultFormat: 'JSON',
      queryId: 'q1',
      params: { id: '7' },
      readonly: 0,
      compressResponse: true,
      compressionLevel: 6,
    });
    expect([...r.settings]).toEqual([['max_execution_time', '5']]);
  });

  it('treats GET as readonly=2 and honours readonly=1', () => {
    expect(parseQueryRequest('GET', new URLSearchParams(), {}).readonly).toBe(2);
    expect(parseQueryRequest('POST', new URLSearchParams({ readonly: '1' }), {}).readonly).toBe(1);
  });

  it('rejects a setting name that could not be a setting', () => {
    expect(() => parseQueryRequest('POST', new URLSearchParams({ 'bad name': '1' }), {})).toThrow(
      /Invalid setting name/,
    );
  });

  it('takes query and param_ fields from a multipart body', () => {
    const r = withFormFields(
      parseQueryRequest('POST', new URLSearchParams(), {}),
      new Map([
        ['query', 'SELECT {s:String}'],
        ['param_s', 'x'],
      ]),
    );
    expect([r.urlQuery, r.params]).toEqual(['SELECT {s:String}', { s: 'x' }]);
  });
});
