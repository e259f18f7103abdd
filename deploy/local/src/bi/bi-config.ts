/**
 * Configuration of `npm run bi`, read once from its command line. Superset
 * listens on loopback only; its own state (metadata database, secret key,
 * admin password, log, pid) lives in the data directory.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { STATE_DIR } from '../paths';

/** What `npm run bi` runs with. */
export interface BiConfig {
  /** Superset's own state: superset.db, secret_key, admin-password, superset.log, superset.pid */
  dataDir: string;
  /** where the venvs live (one per requirements version), reused across clones and CI runs */
  venvRoot: string;
  host: '127.0.0.1';
  port: number;
  /** the ClickHouse HTTP endpoint Superset reads, as the read-only analyst user */
  clickhouseUrl: URL;
  clickhouseDatabase: string;
  clickhouseUser: string;
  /** the analyst's password, when it has one (the local endpoint's `default` has none) */
  clickhousePassword: string;
}

/** A bad option; the message names it. */
export class BiConfigError extends Error {
  override readonly name = 'BiConfigError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The options of `npm run bi -- [command] [--option value]…`, for the usage line. */
export const BI_OPTIONS = [
  '--port N (8088)',
  '--data-dir DIR (deploy/local/.state/bi)',
  '--clickhouse-url URL (http://127.0.0.1:8123)',
  '--database NAME (gosight)',
  '--user NAME (default: the read-only analyst)',
  '--password-file FILE (none)',
  '--venv-dir DIR (~/.cache/gosight)',
] as const;

/**
 * Parses `[up|stop|status] [--option value]…` into the command and a frozen
 * config. Options, not environment variables: gosight's services refuse
 * `GOSIGHT_*` names they do not read, and this tool must not add any.
 */
export function parseBiArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { command: 'up' | 'stop' | 'status'; config: Readonly<BiConfig> } {
  let command: 'up' | 'stop' | 'status' = 'up';
  const opts = new Map<string, string>();
  const known = new Set(BI_OPTIONS.map((o) => o.split(' ')[0] ?? ''));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (i === 0 && (arg === 'up' || arg === 'stop' || arg === 'status')) {
      command = arg;
      continue;
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!known.has(flag)) throw new BiConfigError(`unknown argument ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new BiConfigError(`${flag} needs a value`);
    opts.set(flag, value);
  }
  const portText = opts.get('--port') ?? '8088';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new BiConfigError(`--port must be a port number (1-65535), not ${portText}`);
  }
  const urlText = opts.get('--clickhouse-url') ?? 'http://127.0.0.1:8123';
  let clickhouseUrl: URL;
  try {
    clickhouseUrl = new URL(urlText);
  } catch {
    throw new BiConfigError(`--clickhouse-url is not a URL: ${urlText}`);
  }
  if (clickhouseUrl.protocol !== 'http:' && clickhouseUrl.protocol !== 'https:') {
    throw new BiConfigError(`--clickhouse-url must be http(s)://host:port, not ${urlText}`);
  }
  const clickhouseDatabase = opts.get('--database') ?? 'gosight';
  const clickhouseUser = opts.get('--user') ?? 'default';
  for (const [flag, value] of [
    ['--database', clickhouseDatabase],
    ['--user', clickhouseUser],
  ] as const) {
    if (!NAME.test(value)) throw new BiConfigError(`${flag} must be a plain name, not ${value}`);
  }
  let clickhousePassword = '';
  const passwordFile = opts.get('--password-file');
  if (passwordFile !== undefined) {
    try {
      clickhousePassword = readFileSync(passwordFile, 'utf8').trim();
    } catch (err) {
      throw new BiConfigError(`--password-file ${passwordFile}: ${(err as Error).message}`);
    }
  }
  const cacheHome = env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
  const config: BiConfig = {
    dataDir: path.resolve(opts.get('--data-dir') ?? path.join(STATE_DIR, 'bi')),
    venvRoot: path.resolve(opts.get('--venv-dir') ?? path.join(cacheHome, 'gosight')),
    host: '127.0.0.1',
    port,
    clickhouseUrl,
    clickhouseDatabase,
    clickhouseUser,
    clickhousePassword,
  };
  return { command, config: Object.freeze(config) };
}

/** The SQLAlchemy URI of the warehouse for Superset (clickhouse-connect's dialect), without the password. */
export function databaseUri(config: BiConfig): string {
  const u = config.clickhouseUrl;
  const port = u.port === '' ? (u.protocol === 'https:' ? '443' : '80') : u.port;
  const secure = u.protocol === 'https:' ? '?secure=true' : '';
  return `clickhousedb://${config.clickhouseUser}@${u.hostname}:${port}/${config.clickhouseDatabase}${secure}`;
}
