import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka-storage';

describe('newClusterId', () => {
  it('is 16 bytes in unpadded base64url', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it("draws again when the id would start with '-' (kafka-storage reads it as an option)", () => {
    // 0xf8 encodes to a leading '-' in base64url; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16));
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
    expect(draws).toHaveLength(0);
  });

  it('never starts with a dash over many draws', () => {
    for (let i = 0; i < 5000; i++) expect(newClusterId().startsWith('-')).toBe(false);
  });
});
