import { describe, expect, it } from 'vitest';
import { RowBody } from './row-body';

describe('RowBody', () => {
  it('holds the rows as UTF-8 lines, growing past its first buffer', () => {
    const body = new RowBody();
    const rows = Array.from({ length: 3000 }, (_, i) => `["${'é€😀'.repeat(i % 50)}",${i}]`);
    for (const row of rows) body.append(row);
    expect(body.rows).toBe(3000);
    expect(body.bytes().toString('utf8')).toBe(`${rows.join('\n')}\n`);
  });

  it('is empty until a row is appended', () => {
    const body = new RowBody();
    expect([body.rows, body.bytes().length]).toEqual([0, 0]);
  });
});
