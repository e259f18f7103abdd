/**
 * Test helpers around Debian's `docker-compose` (1.29): validate the compose
 * file and render it as JSON (through python3-yaml, which docker-compose
 * itself depends on). No Docker engine is needed for either.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** deploy/compose/docker-compose.yml */
export const COMPOSE_FILE = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));
/** deploy/compose/.env.example */
export const ENV_EXAMPLE = fileURLToPath(new URL('../.env.example', import.meta.url));

/** The secrets .env.example leaves empty, filled in for a test run. */
export const TEST_SECRETS: Readonly<Record<string, string>> = {
  CLICKHOUSE_ADMIN_PASSWORD: 'admin-secret',
  CLICKHOUSE_WRITER_PASSWORD: 'writer-secret',
  CLICKHOUSE_ANALYST_PASSWORD: 'analyst-secret',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
  SUPERSET_SECRET_KEY: 'superset-secret-key-superset-secret-key',
  SUPERSET_ADMIN_PASSWORD: 'superset-secret',
};

/** Result of one docker-compose run. */
export interface ComposeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the binary could not be started at all (not installed). */
  error?: Error;
}

/** Runs `docker-compose --env-file .env.example -f docker-compose.yml <args>` with `env` on top of PATH. */
export function compose(args: string[], env: Record<string, string> = {}): ComposeRun {
  const result = spawnSync(
    'docker-compose',
    ['--env-file', ENV_EXAMPLE, '-f', COMPOSE_FILE, ...args],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
  );
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ...(result.error ? { error: result.error } : {}),
  };
}

/** The fully interpolated compose configuration, as docker-compose renders it. */
export function renderedConfig(args: string[] = []): ComposeConfig {
  const rendered = compose([...args, 'config'], { ...TEST_SECRETS });
  if (rendered.status !== 0) throw new Error(`docker-compose config failed: ${rendered.stderr}`);
  const json = spawnSync(
    'python3',
    ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: rendered.stdout, encoding: 'utf8' },
  );
  if (json.status !== 0) throw new Error(`python3-yaml could not read the config: ${json.stderr}`);
  return JSON.parse(json.stdout) as ComposeConfig;
}

/** The parts of a rendered compose file the tests look at. */
export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** One rendered service. */
export interface ComposeService {
  image?: string;
  build?: { target?: string };
  environment?: Record<string, string | number | null>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  restart?: string;
  scale?: number;
  ports?: Array<string | { published?: number | string; host_ip?: string; target: number }>;
  volumes?: Array<string | { type: string; source: string; target: string; read_only?: boolean }>;
}
