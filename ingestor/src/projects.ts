/**
 * Projects: which public keys may send, from which origins, how fast.
 * Parsed from GOSIGHT_PROJECTS (inline JSON or a path to a JSON file).
 */
import { readFileSync } from 'node:fs';
import { LIMITS } from '@gosight/schema';
import { z } from 'zod';
import { compileOriginPolicy, type OriginPolicy } from './http/origin-policy';

// Wildcards: origin-policy.ts. A port on a wildcard needs its scheme named with it.
const originPattern = z
  .string()
  .regex(
    /^(\*|https?:\/\/[^/\s*]+|\*\.[a-z0-9.-]+|https?:\/\/\*\.[a-z0-9.-]+(:\d{1,5})?)$/i,
    'an origin is "https://host[:port]", "*.example.com" (https, default port), "http://*.example.com:8080" or "*"',
  );

export const projectSchema = z.object({
  key: z.string().min(1).max(LIMITS.maxProjectKey),
  origins: z.array(originPattern).min(1),
  rate_limit: z
    .object({ max: z.number().int().min(1), window_ms: z.number().int().min(1000) })
    .optional(),
  drop_bots: z.boolean().default(false),
});

export const projectListSchema = z
  .array(projectSchema)
  .min(1, 'at least one project')
  .refine((list) => new Set(list.map((p) => p.key)).size === list.length, 'duplicate project key');

export type ProjectConfig = z.output<typeof projectSchema>;

/** A project ready for the hot path: origin checks compiled. */
export interface Project {
  readonly key: string;
  readonly origins: OriginPolicy;
  readonly rateLimit: { readonly max: number; readonly windowMs: number } | undefined;
  readonly dropBots: boolean;
}

/** Lookup of configured projects by public key. */
export interface ProjectRegistry {
  /** The project for `key`, or undefined when nobody configured it. */
  get(key: string): Project | undefined;
  /** Whether any project accepts `origin` (CORS preflights carry no project key). */
  anyAllows(origin: string): boolean;
  /** Every configured key, for metrics labels. */
  keys(): readonly string[];
}

/** Reads GOSIGHT_PROJECTS: JSON when it starts with `[`, otherwise a path to a JSON file. */
export function readProjectsSource(value: string): unknown {
  const text = value.trimStart().startsWith('[') ? value : readFileSync(value, 'utf8');
  return JSON.parse(text) as unknown;
}

/** Compiles validated project configs into a registry. */
export function createProjectRegistry(configs: readonly ProjectConfig[]): ProjectRegistry {
  const byKey = new Map<string, Project>();
  for (const config of configs) {
    byKey.set(config.key, {
      key: config.key,
      origins: compileOriginPolicy(config.origins),
      rateLimit: config.rate_limit
        ? { max: config.rate_limit.max, windowMs: config.rate_limit.window_ms }
        : undefined,
      dropBots: config.drop_bots,
    });
  }
  const all = [...byKey.values()];
  const keys = [...byKey.keys()];
  return {
    get: (key) => byKey.get(key),
    anyAllows: (origin) => all.some((project) => project.origins.allows(origin)),
    keys: () => keys,
  };
}
