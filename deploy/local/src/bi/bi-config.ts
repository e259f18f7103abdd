/**
 * Configuration of `npm run bi`, read once from the environment. Superset
 * listens on loopback only; its own state (metadata database, secret key,
 * admin password, log, pid) lives in the data directory.
 */
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

/** A bad GOSIGHT_BI_* value; the message names the variable. */
export class BiConfigError extends Error {
  override readonly name = 'BiConfigError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses the GOSIGHT_BI_* variables (all optional) into a frozen config. */
export function readBiConfig(env: NodeJS.ProcessEnv = process.env): Readonly<BiConfig> {
  const portText = env.GOSIGHT_BI_PORT ?? '8088';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new BiConfigError(`GOSIGHT_BI_PORT must be a port number (1-65535), not ${portText}`);
  }
  const urlText = env.GOSIGHT_BI_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
  let clickhouseUrl: URL;
  try {
    clickhouseUrl = new URL(urlText);
  } catch {
    throw new BiConfigError(`GOSIGHT_BI_CLICKHOUSE_URL is not a URL: ${urlText}`);
  }
  if (clickhouseUrl.protocol !== 'http:' && clickhouseUrl.protocol !== 'https:') {
    throw new BiConfigError(
      `GOSIGHT_BI_CLICKHOUSE_URL must be http(s)://host:port, not ${urlText}`,
    );
  }
  const clickhouseDatabase = env.GOSIGHT_BI_CLICKHOUSE_DATABASE ?? 'gosight';
  const clickhouseUser = env.GOSIGHT_BI_CLICKHOUSE_USER ?? 'default';
  for (const [name, value] of [
    ['GOSIGHT_BI_CLICKHOUSE_DATABASE', clickhouseDatabase],
    ['GOSIGHT_BI_CLICKHOUSE_USER', clickhouseUser],
  ] as const) {
    if (!NAME.test(value)) throw new BiConfigError(`${name} must be a plain name, not ${value}`);
  }
  const cacheHome = env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
  return Object.freeze({
    dataDir: path.resolve(env.GOSIGHT_BI_DATA_DIR ?? path.join(STATE_DIR, 'bi')),
    venvRoot: path.resolve(env.GOSIGHT_BI_VENV_DIR ?? path.join(cacheHome, 'gosight')),
    host: '127.0.0.1',
    port,
    clickhouseUrl,
    clickhouseDatabase,
    clickhouseUser,
    clickhousePassword: env.GOSIGHT_BI_CLICKHOUSE_PASSWORD ?? '',
  });
}

/** The SQLAlchemy URI of the warehouse for Superset (clickhouse-connect's dialect), without the password. */
export function databaseUri(config: BiConfig): string {
  const u = config.clickhouseUrl;
  const port = u.port === '' ? (u.protocol === 'https:' ? '443' : '80') : u.port;
  const secure = u.protocol === 'https:' ? '?secure=true' : '';
  return `clickhousedb://${config.clickhouseUser}@${u.hostname}:${port}/${config.clickhouseDatabase}${secure}`;
}
