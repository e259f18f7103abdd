import { describe, expect, it } from 'vitest';
import { ProcessorError } from '../errors';
import { parseCommand } from './cli-args';
import { parseDuration, parseTopArgs, TOP_USAGE } from './top-args';

const usage = (args: string[]) => {
  try {
    parseTopArgs(args);
  } catch (error) {
    return error instanceof ProcessorError ? `${error.code}: ${error.message}` : 'other error';
  }
  return 'no error';
};

describe('gosight top flags', () => {
  it('has defaults: 10 s windows by type, 6 windows, 5 rows, every 2 s', () => {
    expect(parseCommand(['top'])).toEqual({
      name: 'top',
      windowMs: 10_000,
      by: 'type',
      projects: [],
      windows: 6,
      top: 5,
      once: false,
      intervalMs: 2000,
    });
  });

  it('reads every flag, --project repeatable', () => {
    expect(
      parseTopArgs([
        '--window',
        '1m',
        '--by',
        'path',
        '--project',
        'pk_a',
        '--project=pk_b',
        '--windows',
        '3',
        '--top',
        '10',
        '--interval',
        '500ms',
        '--once',
      ]),
    ).toEqual({
      name: 'top',
      windowMs: 60_000,
      by: 'path',
      projects: ['pk_a', 'pk_b'],
      windows: 3,
      top: 10,
      once: true,
      intervalMs: 500,
    });
  });

  it('answers --help with the usage', () => {
    expect(parseTopArgs(['--help'])).toBeNull();
    expect(parseCommand(['top', '-h'])).toEqual({ name: 'help', text: TOP_USAGE });
  });

  it('reads durations in ms, s, m, h and d', () => {
    expect(parseDuration('--x', '250ms')).toBe(250);
    expect(parseDuration('--x', '1.5m')).toBe(90_000);
    expect(parseDuration('--x', '2h')).toBe(7_200_000);
    expect(parseDuration('--x', '1d')).toBe(86_400_000);
  });

  it('refuses bad values with a usage error naming the flag', () => {
    expect(usage(['--window', '10'])).toBe(
      'CLI_USAGE: --window expects a duration like 10s, 1m or 500ms, got "10"',
    );
    expect(usage(['--window', '1500ms'])).toMatch(/^CLI_USAGE: --window must be whole seconds/);
    expect(usage(['--window', '0s'])).toMatch(/^CLI_USAGE: --window must be whole seconds/);
    expect(usage(['--window', '2d'])).toMatch(/^CLI_USAGE: --window must be whole seconds/);
    expect(usage(['--interval', '100ms'])).toMatch(/^CLI_USAGE: --interval must be from 200ms/);
    expect(usage(['--by', 'city'])).toBe(
      'CLI_USAGE: --by expects one of type, path, segment, country, got "city"',
    );
    expect(usage(['--windows', '0'])).toBe(
      'CLI_USAGE: --windows expects a whole number from 1 to 60, got "0"',
    );
    expect(usage(['--top', '51'])).toMatch(/^CLI_USAGE: --top expects a whole number from 1 to 50/);
    expect(usage(['--top', '2.5'])).toMatch(/^CLI_USAGE: --top expects a whole number/);
    expect(usage(['--project', ''])).toBe('CLI_USAGE: --project expects a project key, got ""');
    expect(usage(['--once', 'now'])).toMatch(/^CLI_USAGE: .*positional/i);
    expect(usage(['--colour'])).toMatch(/^CLI_USAGE: Unknown option '--colour'/);
  });
});
