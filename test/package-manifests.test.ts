/**
 * The repository's package manifests say what users are promised (issue 13 §6):
 * every workspace carries the root's licence, and the Node.js the root's
 * `engines` accepts at its lowest can run every installed package. The one
 * package that broke this, `cookie@2` (Node ≥ 22, pulled by fastify's
 * `light-my-request@6.8`), is kept out by the root's `overrides`
 * (`light-my-request@6.6.0`, within fastify's `^6.0.0`, on `cookie@1`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Manifest {
  name?: string;
  version?: string;
  license?: string;
  workspaces?: string[];
  engines?: { node?: string };
}

const read = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const rootManifest = read(join(root, 'package.json'));

/** Every package.json under node_modules (nested ones too), scoped packages included. */
function installedManifests(dir: string, found: { path: string; manifest: Manifest }[] = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      installedManifests(path, found);
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) found.push({ path, manifest: read(manifest) });
    installedManifests(join(path, 'node_modules'), found);
  }
  return found;
}

describe('package manifests', () => {
  it('every workspace has the root licence', () => {
    const workspaces = rootManifest.workspaces ?? [];
    expect(workspaces.length).toBeGreaterThan(5);
    const extra = ['deploy/compose', 'bench'].filter((dir) =>
      existsSync(join(root, dir, 'package.json')),
    );
    const licences = Object.fromEntries(
      [...workspaces, ...extra].map((dir) => [dir, read(join(root, dir, 'package.json')).license]),
    );
    expect(rootManifest.license).toBe('Apache-2.0');
    for (const [dir, licence] of Object.entries(licences)) {
      expect({ dir, licence }).toEqual({ dir, licence: 'Apache-2.0' });
    }
  });

  it("no installed package needs a newer Node.js than the root's engines allow", () => {
    const minimum = semver.minVersion(rootManifest.engines?.node ?? '');
    expect(minimum?.version).toBeDefined();
    const installed = installedManifests(join(root, 'node_modules'));
    expect(installed.length).toBeGreaterThan(100);
    const excluding = installed
      .filter(({ manifest }) => typeof manifest.engines?.node === 'string')
      .filter(
        ({ manifest }) =>
          !semver.satisfies(minimum?.version ?? '0.0.0', manifest.engines?.node ?? '*', {
            includePrerelease: true,
          }),
      )
      .map(
        ({ path, manifest }) =>
          `${path.slice(root.length)}@${manifest.version ?? '?'} (node ${manifest.engines?.node ?? ''})`,
      );
    expect(excluding).toEqual([]);
  });
});
