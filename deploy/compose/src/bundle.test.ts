/**
 * The images' build step, exercised without Docker: esbuild bundles each
 * service (deploy/compose/src/bundle.ts, as the Dockerfile's build stage runs
 * it), every npm package a bundle imports is a production dependency of the
 * workspaces its image installs (so `npm install --omit=dev` brings it), the
 * production closure holds no chdb and no build tool, and each bundle starts
 * under plain node — refusing bad configuration with the variable's name.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES } from './bundle';
import { dockerStages, nodeModulesSource, productionWorkspaces } from './dockerfile-stages';
import { createImageLayout, type ImageLayout } from './testing/image-layout';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGE_OF_BUNDLE: Record<string, string> = {
  ingestor: 'ingestor',
  processor: 'processor',
  gosight: 'processor',
  init: 'init',
};

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

function directDependencies(workspace: string): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, workspace, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {});
}

/** Every package `npm install --omit=dev --workspace …` installs for these workspaces. */
function productionClosure(workspaces: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = workspaces.flatMap(directDependencies);
  while (todo.length > 0) {
    const name = todo.pop() ?? '';
    if (seen.has(name) || name.startsWith('@gosight/')) continue;
    seen.add(name);
    const entry = lock.packages[`node_modules/${name}`];
    todo.push(...Object.keys(entry?.dependencies ?? {}));
    todo.push(...Object.keys(entry?.optionalDependencies ?? {}));
  }
  return seen;
}

let layout: ImageLayout;
beforeAll(async () => {
  layout = await createImageLayout(`bundle-test-${process.pid}`);
}, 60_000);
afterAll(async () => {
  await layout.remove();
});

function start(bundle: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, [join(layout.root, 'dist', `${bundle}.mjs`), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('service bundles for the images', () => {
  const stages = dockerStages();

  it('has one Dockerfile target per image, each on the tini runtime as a non-root user', () => {
    for (const target of ['ingestor', 'processor', 'init']) {
      const stage = stages.get(target) ?? [];
      expect(stage[0], target).toMatch(/^FROM runtime AS/);
      expect(stage.some((l) => /^USER node$/.test(l))).toBe(true);
      expect(stage.some((l) => /^HEALTHCHECK /.test(l))).toBe(true);
    }
    expect((stages.get('runtime') ?? []).join('\n')).toMatch(
      /ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/,
    );
    expect((stages.get('runtime') ?? [])[0]).toMatch(/FROM \$\{NODE_IMAGE\}/);
    expect(readFileSync(join(ROOT, 'deploy/compose/Dockerfile'), 'utf8')).toContain(
      'ARG NODE_IMAGE=node:20-bookworm-slim',
    );
  });

  it('bundles every service', () => {
    expect(Object.keys(layout.imports).sort()).toEqual(Object.keys(BUNDLES).sort());
  });

  it.each(Object.keys(BUNDLES))(
    '%s imports only production dependencies of its image, without chdb or build tools',
    (bundle) => {
      const image = IMAGE_OF_BUNDLE[bundle] ?? '';
      const source = nodeModulesSource(stages.get(image) ?? []) ?? '';
      const workspaces = productionWorkspaces(stages.get(source) ?? []);
      expect(workspaces.length, `${image} copies node_modules from ${source}`).toBeGreaterThan(0);
      const closure = productionClosure(workspaces);
      expect((layout.imports[bundle] ?? []).filter((p) => !closure.has(p))).toEqual([]);
      for (const tool of ['chdb', 'tsx', 'esbuild', 'typescript', 'vitest', 'rollup']) {
        expect(closure.has(tool), `${tool} in the ${image} image`).toBe(false);
      }
    },
  );

  it('each service bundle starts under plain node and names the bad variable', () => {
    const ingestor = start('ingestor', { KAFKA_BROKERS: '127.0.0.1:9' });
    expect(ingestor.status).toBe(2);
    expect(ingestor.stderr).toContain('GOSIGHT_PROJECTS');
    const processor = start('processor', { GOSIGHT_BATCH_MAX_ROWS: '0' });
    expect(processor.status).toBe(2);
    expect(processor.stderr).toContain('GOSIGHT_BATCH_MAX_ROWS');
    const init = start('init', {});
    expect(init.status).toBe(2);
    expect(init.stderr).toContain('KAFKA_BROKERS');
    const cli = start('gosight', {}, ['help']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('usage: gosight');
  }, 60_000); // four node starts in a row: over vitest's 5 s default on a loaded CI machine
});
