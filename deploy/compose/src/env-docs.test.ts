/**
 * Every variable a service's config schema reads is documented in
 * deploy/compose/.env.example and in the root README's configuration table;
 * every variable those documents list is read by a service (or by compose
 * itself); and .env.example matches what docker-compose.yml interpolates.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE, ENV_EXAMPLE } from './compose-cli';
import {
  COMPOSE_ONLY_VARIABLES,
  composeVariables,
  envExampleEntries,
  readmeTableVariables,
  serviceVariables,
  standaloneVariables,
} from './service-variables';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const services = serviceVariables();
const serviceKeys = new Set(Object.values(services).flat());
const env = envExampleEntries(readFileSync(ENV_EXAMPLE, 'utf8'));
const documented = new Set([...env.active, ...env.fixed]);
const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const composeVars = composeVariables(composeText);

const missingFrom = (names: Iterable<string>, set: Set<string>) =>
  [...new Set(names)].filter((n) => !set.has(n)).sort();

describe('configuration variables are documented where operators look', () => {
  it('reads every service schema (ingestor, processor, migrate, init)', () => {
    expect(services.ingestor).toContain('GOSIGHT_PROJECTS');
    expect(services.processor).toContain('GOSIGHT_CONSUMER_GROUP');
    expect(services.processor).toContain('CLICKHOUSE_URL');
    expect(services.init).toContain('KAFKA_TOPIC_PARTITIONS');
  });

  it.each(Object.entries(services))('every variable %s reads is in .env.example', (_name, keys) => {
    expect(missingFrom(keys, documented)).toEqual([]);
  });

  it('every variable in .env.example is read by a service or by compose itself', () => {
    const known = new Set([...serviceKeys, ...COMPOSE_ONLY_VARIABLES]);
    expect(missingFrom(documented, known)).toEqual([]);
  });

  it('.env.example and docker-compose.yml name the same variables', () => {
    expect(missingFrom(env.active, new Set(composeVars.interpolated))).toEqual([]);
    expect(missingFrom(composeVars.interpolated, new Set(env.active))).toEqual([]);
    // A `fixed` entry really is set by docker-compose.yml itself.
    expect(missingFrom(env.fixed, new Set(composeVars.keys))).toEqual([]);
  });

  it('every service variable is in the root README configuration table, and the table lists no stranger', () => {
    const table = new Set(readmeTableVariables(readFileSync(README, 'utf8')));
    expect(table.size).toBeGreaterThan(0);
    const readmeKeys = new Set([...serviceKeys, ...standaloneVariables()]);
    expect(missingFrom(readmeKeys, table)).toEqual([]);
    expect(missingFrom(table, readmeKeys)).toEqual([]);
  });
});
