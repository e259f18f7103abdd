/**
 * Which environment variables each service reads, taken from the services'
 * own zod config schemas, and what the deployment docs say about them. Used
 * by the env-docs test.
 */
import { clickhouseEnv, retentionEnv } from '@gosight/schema';
import { ingestorEnv } from '@gosight/ingestor';
import { processorEnv } from '@gosight/processor';
import { standaloneEnv } from '@gosight/standalone';
import { initEnv } from './init-config';

/** Variables compose itself reads (image tags, ports, secrets, replicas), not any service. */
export const COMPOSE_ONLY_VARIABLES: readonly string[] = [
  'CLICKHOUSE_ADMIN_PASSWORD',
  'CLICKHOUSE_WRITER_PASSWORD',
  'CLICKHOUSE_ANALYST_PASSWORD',
  'GRAFANA_ADMIN_PASSWORD',
  'PUBLIC_BIND',
  'PUBLIC_PORT',
  'INGESTOR_REPLICAS',
  'PROCESSOR_REPLICAS',
  'KAFKA_HEAP_OPTS',
  'CLICKHOUSE_HTTP_BIND',
  'CLICKHOUSE_HTTP_PORT',
  'REDIS_MAXMEMORY',
  'IMAGE_PREFIX',
  'IMAGE_TAG',
  'KAFKA_IMAGE_TAG',
  'CLICKHOUSE_IMAGE_TAG',
  'REDIS_IMAGE_TAG',
  'NGINX_IMAGE_TAG',
  'MONITORING_BIND',
  'PROMETHEUS_PORT',
  'PROMETHEUS_RETENTION',
  'PROMETHEUS_IMAGE_TAG',
  'GRAFANA_PORT',
  'GRAFANA_IMAGE_TAG',
  'SUPERSET_SECRET_KEY',
  'SUPERSET_ADMIN_PASSWORD',
  'BI_BIND',
  'SUPERSET_PORT',
  'SUPERSET_TRUSTED_HOSTS',
  'SUPERSET_IMAGE_TAG',
];

/** The variables only `npm start` (the single-machine process) reads: not part of a deployment. */
export function standaloneVariables(): string[] {
  return Object.keys(standaloneEnv.shape);
}

/** Every deployed service and the variables its config schema reads. */
export function serviceVariables(): Record<string, string[]> {
  return {
    ingestor: Object.keys(ingestorEnv.shape),
    processor: Object.keys(processorEnv.shape),
    migrate: Object.keys({ ...clickhouseEnv, ...retentionEnv }),
    init: Object.keys(initEnv.shape),
  };
}

/** `.env.example` entries: active `NAME=value` lines and documented-fixed `# NAME=… (fixed …)` lines. */
export function envExampleEntries(text: string): { active: string[]; fixed: string[] } {
  const active = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');
  const fixed = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=.*\(fixed by docker-compose\.yml/gm)].map(
    (m) => m[1] ?? '',
  );
  return { active, fixed };
}

/** Variables named (in backticks) in the first column of the README's Configuration table. */
export function readmeTableVariables(readme: string): string[] {
  const section = /## Configuration\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => /^\|\s*`/.test(line));
  return rows.flatMap((row) => {
    const first = row.split('|')[1] ?? '';
    return [...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? '');
  });
}

/** `${NAME…}` references in the compose file, and the environment keys it sets (`NAME: …`). */
export function composeVariables(text: string): { interpolated: string[]; keys: string[] } {
  const interpolated = [
    ...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? '')),
  ];
  const keys = [
    ...new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]*): \S/gm)].map((m) => m[1] ?? '')),
  ];
  return { interpolated, keys };
}
