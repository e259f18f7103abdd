import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toYaml } from './to-yaml';

describe('toYaml', () => {
  const value = {
    plain: 'text',
    tricky: 'a: b # c\n- \'d\' "e" {f} [g] ≤ 2.5 s',
    number: 1.5,
    flag: false,
    nothing: null,
    empty: [],
    none: {},
    list: ['x', { nested: [1, 2], key: 'v' }],
    'odd key': 'y',
  };

  it('writes YAML that a YAML parser reads back as the same value', () => {
    const parsed = spawnSync(
      'python3',
      ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
      { input: toYaml(value), encoding: 'utf8' },
    );
    expect(parsed.stderr).toBe('');
    expect(JSON.parse(parsed.stdout)).toEqual(value);
  });

  it('refuses numbers that YAML and JSON cannot both carry', () => {
    expect(() => toYaml({ x: Number.NaN })).toThrow(/no YAML form/);
  });
});
