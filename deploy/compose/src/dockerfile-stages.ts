/**
 * Reads deploy/compose/Dockerfile for the tests: which workspaces each
 * production dependency stage installs, and which stage each image target
 * copies its node_modules from.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** deploy/compose/Dockerfile */
export const DOCKERFILE = fileURLToPath(new URL('../Dockerfile', import.meta.url));

/** Stage name → its instructions (continuation lines joined). */
export function dockerStages(text = readFileSync(DOCKERFILE, 'utf8')): Map<string, string[]> {
  const stages = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from?.[1]) {
      current = [line];
      stages.set(from[1], current);
    } else if (current && line.trim() !== '' && !line.startsWith('#')) current.push(line);
  }
  return stages;
}

/** Workspaces a stage's `npm install --omit=dev` installs (empty when it runs none). */
export function productionWorkspaces(stage: readonly string[]): string[] {
  const install = stage.find((l) => /npm install .*--omit=dev/.test(l)) ?? '';
  return [...install.matchAll(/--workspace\s+(\S+)/g)].map((m) => m[1] ?? '');
}

/** The stage an image target copies /app/node_modules from. */
export function nodeModulesSource(stage: readonly string[]): string | undefined {
  const copy = stage.find((l) => /COPY --from=\S+ \/app\/node_modules/.test(l));
  return copy ? /--from=(\S+)/.exec(copy)?.[1] : undefined;
}
