/**
 * `npm run bi`: Superset with gosight's dashboards on this machine. Makes or
 * reuses the venv, initialises Superset's metadata (SQLite in the data
 * directory) once, creates the admin with a generated password, registers the
 * warehouse as the read-only analyst, imports the dashboard bundle when it (or
 * the warehouse address) changed, and starts the server on 127.0.0.1.
 * Run again, it only starts what is not running.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortOpen } from '../is-port-open';
import { BI_DIR, BUNDLE_DIR } from './bi-paths';
import { databaseUri, type BiConfig } from './bi-config';
import { lastLines, runProcess } from './run-process';
import { isHealthy, runningPid, serverUrl, startServer, stopServer } from './superset-server';
import { ensureVenv, type Venv } from './venv';

/** A setup step failed; the message says which and why. */
export class BiSetupError extends Error {
  override readonly name = 'BiSetupError';
}

/** The admin's login; the password is generated on the first run. */
export const ADMIN_USER = 'admin';

interface State {
  initialisedWith?: string;
  provisioned?: string;
}

/** Files of the data directory. */
export function dataFiles(config: BiConfig) {
  return {
    secretKey: path.join(config.dataDir, 'secret_key'),
    adminPassword: path.join(config.dataDir, 'admin-password'),
    state: path.join(config.dataDir, 'state.json'),
  };
}

function readState(file: string): State {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return {};
  }
}

/** Writes `text` to a new file readable by its owner only. */
function writeSecret(file: string, text: string): void {
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && statSync(path.join(dir, f)).isFile())
    .sort();
}

/** What decides whether the bundle must be imported again. */
function provisionKey(config: BiConfig, venvKey: string): string {
  const h = createHash('sha256').update(venvKey).update(databaseUri(config));
  h.update(config.clickhousePassword === '' ? 'no-password' : 'password');
  for (const f of bundleFiles(BUNDLE_DIR))
    h.update(f).update(readFileSync(path.join(BUNDLE_DIR, f)));
  return h.digest('hex');
}

/** The environment Superset's commands and server run with. */
export function supersetEnv(config: BiConfig, venv: Venv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${path.dirname(venv.bin('python'))}:${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: venv.dir,
    SUPERSET_CONFIG_PATH: path.join(BI_DIR, 'superset_config.py'),
    SUPERSET_HOME: config.dataDir,
    FLASK_APP: 'superset',
    PYTHONUNBUFFERED: '1',
  };
}

async function superset(
  venv: Venv,
  env: NodeJS.ProcessEnv,
  what: string,
  args: string[],
): Promise<string> {
  const r = await runProcess(venv.bin('superset'), args, { env, timeoutMs: 600_000 });
  if (r.code !== 0) {
    throw new BiSetupError(
      `${what} failed (superset ${args.join(' ')}, exit ${r.code}):\n${lastLines(r.output)}`,
    );
  }
  return r.output;
}

/** Whether the warehouse database has gosight's tables, as the analyst sees it. */
async function warehouseCheck(config: BiConfig): Promise<string | undefined> {
  const url = new URL(config.clickhouseUrl);
  url.searchParams.set('param_db', config.clickhouseDatabase);
  const auth = Buffer.from(`${config.clickhouseUser}:${config.clickhousePassword}`).toString(
    'base64',
  );
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${auth}` },
      body: "SELECT count() FROM system.tables WHERE database = {db:String} AND name IN ('events', 'sessions', 'page_stats_1m')",
      signal: AbortSignal.timeout(10_000),
    });
    const text = (await res.text()).trim();
    if (!res.ok)
      return `ClickHouse at ${config.clickhouseUrl.origin} answered ${res.status}: ${text.slice(0, 200)}`;
    if (text !== '3') {
      return `database ${config.clickhouseDatabase} has no gosight tables yet: start gosight (npm start) or run npm run migrate; until then the charts show errors`;
    }
    return undefined;
  } catch (err) {
    return `ClickHouse at ${config.clickhouseUrl.origin} is not reachable (${(err as Error).message}): start gosight (npm start or npm run stack:up); until then the charts show errors`;
  }
}

/** True once Superset answers its health check, false when it did not for `ms`. */
async function answersWithin(config: BiConfig, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await isHealthy(config)) return true;
    if (Date.now() >= deadline || runningPid(config) === undefined) return false;
    await sleep(1000);
  }
}

/** Sets everything up that is missing and starts Superset; returns its URL. */
export async function setupBi(config: BiConfig, log: (line: string) => void): Promise<string> {
  const t0 = Date.now();
  const step = (line: string): void =>
    log(`bi: ${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const files = dataFiles(config);

  const warning = await warehouseCheck(config);
  if (warning !== undefined) log(`bi: warning: ${warning}`);

  const venv = await ensureVenv(config.venvRoot, (l) => step(l));
  step(`${venv.created ? 'created' : 'reusing'} venv ${venv.dir}`);
  if (!existsSync(files.secretKey))
    writeSecret(files.secretKey, randomBytes(48).toString('base64url'));
  const env = supersetEnv(config, venv);
  const state = readState(files.state);

  if (state.initialisedWith !== venv.key) {
    await superset(venv, env, 'initialising the metadata database', ['db', 'upgrade']);
    step('metadata database ready');
    if (!existsSync(files.adminPassword)) {
      const password = randomBytes(18).toString('base64url');
      const out = await superset(venv, env, 'creating the admin', [
        'fab',
        'create-admin',
        '--username',
        ADMIN_USER,
        '--firstname',
        'gosight',
        '--lastname',
        'admin',
        '--email',
        'admin@localhost',
        '--password',
        password,
      ]);
      if (/already exist/i.test(out)) {
        // The password file was deleted: give the existing admin the new password.
        await superset(venv, env, 'resetting the admin password', [
          'fab',
          'reset-password',
          '--username',
          ADMIN_USER,
          '--password',
          password,
        ]);
      }
      writeSecret(files.adminPassword, password);
      log(`bi: admin user "${ADMIN_USER}", password ${password}`);
      log(`bi:   (printed this once; kept in ${files.adminPassword}, mode 0600)`);
    }
    await superset(venv, env, 'setting up roles and permissions', ['init']);
    step('roles and permissions ready');
    state.initialisedWith = venv.key;
    delete state.provisioned;
    writeFileSync(files.state, JSON.stringify(state, null, 2), { mode: 0o600 });
  }

  const key = provisionKey(config, venv.key);
  if (state.provisioned !== key) {
    const r = await runProcess(
      venv.bin('python'),
      [
        path.join(BI_DIR, 'provision.py'),
        '--bundle',
        BUNDLE_DIR,
        '--database-uri',
        databaseUri(config),
        '--user',
        ADMIN_USER,
        '--zip',
        path.join(config.dataDir, 'gosight-dashboards.zip'),
      ],
      {
        env: { ...env, CLICKHOUSE_ANALYST_PASSWORD: config.clickhousePassword },
        timeoutMs: 300_000,
      },
    );
    if (r.code !== 0) {
      throw new BiSetupError(
        `importing the dashboards failed (exit ${r.code}):\n${lastLines(r.output)}`,
      );
    }
    state.provisioned = key;
    writeFileSync(files.state, JSON.stringify(state, null, 2), { mode: 0o600 });
    step(`dashboards imported, warehouse ${databaseUri(config)}`);
  }

  let pid = runningPid(config);
  if (pid !== undefined && !(await answersWithin(config, 30_000))) {
    // Busy or stuck. A second server could not bind the port, and the pid file would name it
    // instead of this one, which nothing would stop any more.
    step(`Superset (pid ${pid}) does not answer; stopping it to start it again`);
    await stopServer(config);
    pid = undefined;
  }
  if (pid !== undefined) {
    step(`Superset already running (pid ${pid})`);
  } else {
    if (await isPortOpen(config.host, config.port)) {
      throw new BiSetupError(
        `${config.host}:${config.port} is in use by another program: pick another port with --port`,
      );
    }
    const started = await startServer(config, venv.bin('gunicorn'), env);
    step(`Superset started (pid ${started})`);
  }
  return serverUrl(config);
}
