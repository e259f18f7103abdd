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

  it('reads export flags, ISO and relative times', () => {
    const now = Date.UTC(2026, 11, 2, 12);
    expect(
      parseCommand(
        [
          'export',
          '--from',
          '2026-12-01T00:00:00Z',
          '--to',
          'now',
          '--project',
          'p1',
          '--project',
          'p2',
          '--format',
          'parquet',
          '--out',
          'x.parquet',
        ],
        now,
      ),
    ).toEqual({
      name: 'export',
      from: Date.UTC(2026, 11, 1),
      to: now,
      projects: ['p1', 'p2'],
      table: 'events',
      format: 'parquet',
      out: 'x.parquet',
      force: false,
    });
    expect(
      parseCommand(
        [
          'export',
          '--from',
          '-7d',
          '--to=-1h',
          '--table',
          'sessions',
          '--format',
          'csv',
          '--out',
          'x.csv',
          '--force',
        ],
        now,
      ),
    ).toMatchObject({
      from: now - 7 * 86_400_000,
      to: now - 3_600_000,
      table: 'sessions',
      format: 'csv',
      force: true,
    });
  });

  it('refuses bad export flags and times', () => {
    const ok = ['--format', 'ndjson', '--out', 'x.ndjson'];
    expect(usage(['export', '--to', 'now', ...ok])).toMatch(/^CLI_USAGE: --from is required/);
    expect(usage(['export', '--from', 'last tuesday', '--to', 'now', ...ok])).toMatch(
      /^CLI_USAGE: --from expects an ISO date\/time, epoch ms, now or -<n>s\|m\|h\|d\|w, got "last tuesday"/,
    );
    expect(usage(['export', '--from', '-1h', '--to', '-2h', ...ok])).toBe(
      'CLI_USAGE: --to must be after --from',
    );
    expect(usage(['export', '--from=-1h', '--to', 'now', '--format', 'xlsx', '--out', 'x'])).toBe(
      'CLI_USAGE: --format expects one of parquet, ndjson, csv, got "xlsx"',
    );
    expect(usage(['export', '--from=-1h', '--to', 'now', '--table', 'users', ...ok])).toMatch(
      /--table expects one of events, sessions, events_quarantine/,
    );
    expect(usage(['export', '--from=-1h', '--to', 'now', '--format', 'csv'])).toBe(
      'CLI_USAGE: --out FILE is required',
    );
    expect(usage(['export', '--from=-1h', '--to', 'now', ...ok, '--overwrite'])).toMatch(
      /--overwrite/,
    );
  });

  it('answers --help for every command', () => {
    for (const argv of [
      [],
      ['--help'],
      ['lag', '--help'],
      ['dlq', 'list', '-h'],
      ['dlq', 'replay', '--help'],
      ['export', '--help'],
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
