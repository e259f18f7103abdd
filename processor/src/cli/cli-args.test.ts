import { describe, expect, it } from 'vitest';
import { parseCommand } from './cli-args';
import { ProcessorError } from '../errors';

const usage = (argv: string[]) => {
  try {
    parseCommand(argv);
  } catch (error) {
    return error instanceof ProcessorError ? `${error.code}: ${error.message}` : 'other error';
  }
  return 'no error';
};

describe('gosight command line', () => {
  it('reads lag flags, repeatable groups and --max-lag', () => {
    expect(
      parseCommand(['lag', '--group', 'a', '--group', 'b', '--json', '--max-lag', '100']),
    ).toEqual({
      name: 'lag',
      groups: ['a', 'b'],
      topic: undefined,
      json: true,
      maxLag: 100,
    });
  });

  it('reads dlq list and replay flags', () => {
    expect(parseCommand(['dlq', 'list', '--limit', '5'])).toEqual({
      name: 'dlq-list',
      limit: 5,
      json: false,
    });
    expect(parseCommand(['dlq', 'replay', '--since', '2026-11-22T12:00:00Z', '--dry-run'])).toEqual(
      {
        name: 'dlq-replay',
        since: Date.UTC(2026, 10, 22, 12),
        dryRun: true,
        topic: undefined,
      },
    );
  });

  it('answers --help for every command', () => {
    for (const argv of [
      [],
      ['--help'],
      ['lag', '--help'],
      ['dlq', 'list', '-h'],
      ['dlq', 'replay', '--help'],
    ]) {
      const command = parseCommand(argv);
      expect(command.name).toBe('help');
      expect(command.name === 'help' && command.text).toMatch(/^usage: gosight/);
    }
  });

  it('refuses bad flags with a usage error naming the problem', () => {
    expect(usage(['lag', '--bogus'])).toMatch(/^CLI_USAGE: .*--bogus/);
    expect(usage(['lag', '--max-lag', '-3'])).toMatch(/^CLI_USAGE: .*--max-lag/);
    expect(usage(['lag', '--max-lag', 'lots'])).toBe(
      'CLI_USAGE: --max-lag expects a whole number ≥ 0, got "lots"',
    );
    expect(usage(['dlq', 'replay', '--since', 'yesterday-ish'])).toMatch(/--since expects/);
    expect(usage(['dlq', 'purge'])).toMatch(/unknown dlq command "purge"/);
    expect(usage(['lagg'])).toMatch(/unknown command "lagg"/);
  });
});
