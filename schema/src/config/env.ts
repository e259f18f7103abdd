/**
 * Configuration from environment variables, parsed once at start. Every
 * service's config module calls `parseEnv`; nothing else reads process.env.
 */
import type { z } from 'zod';
import { KNOWN_GOSIGHT_VARIABLES } from './known-variables';

/** Thrown when the environment does not describe a runnable service; the message names each variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const OUR_PREFIX = 'GOSIGHT_';

/**
 * Parses `env` with `schema` (an object keyed by variable name) into a frozen
 * object. Invalid values, and variables with our prefix that no gosight
 * service knows (a typo would otherwise be silently ignored), throw a
 * ConfigError.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  options: { service: string; alsoKnown?: readonly string[] },
): Readonly<z.output<S>> {
  const known = new Set([...Object.keys(schema.shape), ...(options.alsoKnown ?? [])]);
  const anyService = new Set([...known, ...KNOWN_GOSIGHT_VARIABLES]);
  const unknown = Object.keys(env).filter((k) => k.startsWith(OUR_PREFIX) && !anyService.has(k));
  const result = schema.safeParse(pickKnown(env, known));
  const lines: string[] = [];
  const variables: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '(environment)');
      variables.push(name);
      const value = env[name];
      const shown = value === undefined ? 'not set' : `got ${JSON.stringify(truncate(value))}`;
      lines.push(`  ${name}: ${issue.message} (${shown})`);
    }
  }
  for (const name of unknown) {
    variables.push(name);
    lines.push(`  ${name}: no gosight service reads this variable${suggest(name, anyService)}`);
  }
  if (lines.length > 0 || !result.success) {
    throw new ConfigError(
      `${options.service}: invalid configuration\n${lines.join('\n')}`,
      variables,
    );
  }
  return Object.freeze(result.data);
}

function pickKnown(env: Readonly<Record<string, string | undefined>>, known: Set<string>) {
  const picked: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

function suggest(name: string, known: Set<string>): string {
  let best = '';
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best ? ` (did you mean ${best}?)` : '';
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
