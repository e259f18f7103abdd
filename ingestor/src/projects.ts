/**
 * Projects: which public keys may send, from which origins, how fast.
 * Parsed from GOSIGHT_PROJECTS (inline JSON or a path to a JSON file).
 */
import { createHash } from 'node:crypto';
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
  /**
   * The server-to-server key of `POST /v1/profiles` (`Authorization: Bearer <secret>`).
   * Never in a page: unlike `key`, it lets its holder set users' segments.
   */
  secret: z
    .string()
    .min(24, 'a secret has at least 24 characters (e.g. `openssl rand -hex 24`)')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'a secret is printable ASCII without spaces')
    .optional(),
});

export const projectListSchema = z
  .array(projectSchema)
  .min(1, 'at least one project')
  .refine((list) => new Set(list.map((p) => p.key)).size === list.length, 'duplicate project key')
  .refine((list) => {
    const secrets = list.flatMap((p) => (p.secret === undefined ? [] : [p.secret]));
    return new Set(secrets).size === secrets.length;
  }, 'two projects share a secret')
  .refine(
    (list) => list.every((p) => p.secret === undefined || !list.some((q) => q.key === p.secret)),
    'a secret equals a public project key',
  );

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
  /** The project whose `secret` this is, or undefined. */
  bySecret(secret: string): Project | undefined;
}

// Looked up by digest: the map's string comparison then leaks nothing usable about a secret.
const digestOf = (secret: string) => createHash('sha256').update(secret).digest('base64');

/** Reads GOSIGHT_PROJECTS: JSON when it starts with `[`, otherwise a path to a JSON file. */
export function readProjectsSource(value: string): unknown {
  const text = value.trimStart().startsWith('[') ? value : readFileSync(value, 'utf8');
  return JSON.parse(text) as unknown;
}

/** Compiles validated project configs into a registry. */
export function createProjectRegistry(configs: readonly ProjectConfig[]): ProjectRegistry {
  const byKey = new Map<string, Project>();
  const bySecret = new Map<string, Project>();
  for (const config of configs) {
    const project: Project = {
      key: config.key,
      origins: compileOriginPolicy(config.origins),
      rateLimit: config.rate_limit
        ? { max: config.rate_limit.max, windowMs: config.rate_limit.window_ms }
        : undefined,
      dropBots: config.drop_bots,
    };
    byKey.set(config.key, project);
    if (config.secret !== undefined) bySecret.set(digestOf(config.secret), project);
  }
  const all = [...byKey.values()];
  const keys = [...byKey.keys()];
  return {
    get: (key) => byKey.get(key),
    anyAllows: (origin) => all.some((project) => project.origins.allows(origin)),
    keys: () => keys,
    bySecret: (secret) => (bySecret.size === 0 ? undefined : bySecret.get(digestOf(secret))),
  };
}
