// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { createCls } from './cls';
import { createInp } from './inp';

const shift = (startTime: number, value: number, hadRecentInput = false) => ({
  startTime,
  value,
  hadRecentInput,
});

describe('CLS session windows', () => {
  test('shifts < 1 s apart form one window; CLS is the largest window; input-driven shifts ignored', () => {
    const cls = createCls();
    expect(cls([shift(100, 0.05), shift(900, 0.05), shift(1500, 0.5, true)])).toBeCloseTo(0.1);
    // 1.5 s gap: a new window, smaller than the first
    expect(cls([shift(3000, 0.02)])).toBeCloseTo(0.1);
    // the new window grows past the first
    expect(cls([shift(3500, 0.2)])).toBeCloseTo(0.22);
  });
  test('a window closes after 5 s even when shifts keep coming', () => {
    const cls = createCls();
    const entries = Array.from({ length: 12 }, (_, i) => shift(i * 900, 0.01));
    expect(cls(entries)).toBeCloseTo(0.06); // 0..4.5 s: 6 shifts; the next window starts at 5.4 s
  });
});

const ev = (interactionId: number, duration: number, entryType = 'event') => ({
  interactionId,
  duration,
  entryType,
});

describe('INP', () => {
  test('groups entries by interaction (longest entry wins) and reports the worst of few interactions', () => {
    const inp = createInp();
    expect(inp([ev(7, 80), ev(7, 120), ev(14, 60)])).toBe(120);
    expect(inp([ev(0, 900)])).toBe(120); // no interactionId: not an interaction
  });
  test('fast interactions are not candidates, except the first input', () => {
    const inp = createInp();
    expect(inp([ev(7, 20)])).toBeUndefined();
    expect(inp([ev(7, 24, 'first-input')])).toBe(24);
  });
  test('p98 rule: with 120 interactions the third-worst is INP', () => {
    const inp = createInp();
    const entries = Array.from({ length: 120 }, (_, i) => ev(7 * (i + 1), 40 + i));
    // interactionCount (Chromium) or the id-spread estimate gives 120 → index 2
    expect(inp(entries)).toBe(157);
  });
});
