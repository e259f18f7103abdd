import { describe, expect, it } from 'vitest';
import { BiConfigError, databaseUri, parseBiArgs } from './bi-config';

describe('npm run bi options', () => {
  it('defaults to up on 127.0.0.1:8088 against the local endpoint as the read-only default user', () => {
    const { command, config } = parseBiArgs([], { XDG_CACHE_HOME: '/cache' });
    expect(command).toBe('up');
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8088);
    expect(config.venvRoot).toBe('/cache/gosight');
    expect(config.dataDir).toMatch(/deploy\/local\/\.state\/bi$/);
    expect(databaseUri(config)).toBe('clickhousedb://default@127.0.0.1:8123/gosight');
  });

  it('reads the command and options, in both --flag value and --flag=value forms', () => {
    const { command, config } = parseBiArgs([
      'stop',
      '--port=18088',
      '--data-dir',
      '/tmp/bi',
      '--clickhouse-url',
      'https://ch.example:8443',
      '--database',
      'gosight_x',
      '--user',
      'gosight_analyst',
    ]);
    expect(command).toBe('stop');
    expect(config.port).toBe(18088);
    expect(config.dataDir).toBe('/tmp/bi');
    expect(databaseUri(config)).toBe(
      'clickhousedb://gosight_analyst@ch.example:8443/gosight_x?secure=true',
    );
  });

  it.each([
    [['--port', '0'], /--port must be a port number/],
    [['--port', 'http'], /--port must be a port number/],
    [['--database', 'x; DROP'], /--database must be a plain name/],
    [['--clickhouse-url', 'ftp://x'], /--clickhouse-url must be http/],
    [['--colour', 'red'], /unknown argument --colour/],
    [['--port'], /--port needs a value/],
    [['up', 'stop'], /unknown argument stop/],
    [['--password-file', '/nonexistent/file'], /--password-file \/nonexistent\/file/],
  ])('refuses %j, naming the problem', (argv, message) => {
    expect(() => parseBiArgs(argv)).toThrow(BiConfigError);
    expect(() => parseBiArgs(argv)).toThrow(message);
  });
});
