/**
 * Test helper: lays out the bundles as the init/processor images do
 * (`<root>/dist/*.mjs` next to `<root>/migrations`), under deploy/compose/dist
 * so the bundles' npm imports resolve from the repository's node_modules.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_DIR } from '@gosight/schema';
import { bundleServices } from '../bundle';

/** A bundled image layout; `remove()` deletes it. */
export interface ImageLayout {
  root: string;
  /** npm packages each bundle imports, by bundle name. */
  imports: Record<string, string[]>;
  remove(): Promise<void>;
}

/** Bundles every service into a fresh layout named `name`. */
export async function createImageLayout(name: string): Promise<ImageLayout> {
  const root = fileURLToPath(new URL(`../../dist/${name}/`, import.meta.url));
  await mkdir(root, { recursive: true });
  const imports = await bundleServices(join(root, 'dist'));
  await cp(MIGRATIONS_DIR, join(root, 'migrations'), { recursive: true });
  return { root, imports, remove: () => rm(root, { recursive: true, force: true }) };
}
