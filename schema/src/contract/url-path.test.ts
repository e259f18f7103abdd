import { describe, expect, it } from 'vitest';
import { pathOf } from './url-path';

describe('pathOf', () => {
  it('gives the path without query or fragment, and the right one when URLs alternate', () => {
    const cases: [string, string][] = [
      ['https://shop.test/cart?x=1#top', '/cart'],
      ['https://shop.test/cart?x=1#top', '/cart'],
      ['http://shop.test', '/'],
      ['not a url', ''],
      ['not a url', ''],
      ['https://shop.test/a/b%20c', '/a/b%20c'],
      ['https://shop.test/cart?x=1#top', '/cart'],
    ];
    for (const [url, path] of cases) expect(pathOf(url), url).toBe(path);
  });
});
