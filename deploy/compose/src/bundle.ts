/**
 * Bundles each Node service into one ESM file for the container images
 * (Dockerfile stage `build`). The workspace packages export TypeScript
 * sources, so the image needs either tsx at runtime or a bundle; a bundle
 * keeps tsx, esbuild and TypeScript out of the image. Our own code
 * (`@gosight/*` and relative imports) is bundled; every npm package stays an
 * external import resolved from the image's production-only node_modules.
 *
 * Usage: `tsx deploy/compose/src/bundle.ts <outDir>`.
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is deploy/compose/src/bundle.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Output file (without extension) → entry point, relative to the repo root. */
export const BUNDLES: Readonly<Record<string, string>> = {
  ingestor: 'ingestor/src/main.ts',
  processor: 'processor/src/main.ts',
  gosight: 'processor/src/cli.ts',
  init: 'deploy/compose/src/init.ts',
};

/** Bare imports other than `@gosight/*` are npm packages: leave them to node_modules. */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@gosight/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Writes `<outDir>/<name>.mjs` for every bundle; resolves with the npm packages each imports. */
export async function bundleServices(outDir: string): Promise<Record<string, string[]>> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.entries(BUNDLES).map(([out, entry]) => ({ in: entry, out })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  const imports: Record<string, string[]> = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const name = /([^/]+)\.mjs$/.exec(file)?.[1];
    if (!name) continue;
    const packages = new Set<string>();
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const parts = imported.path.split('/');
      packages.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
    }
    imports[name] = [...packages].sort();
  }
  return imports;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: tsx deploy/compose/src/bundle.ts <outDir>');
    process.exitCode = 2;
  } else {
    const imports = await bundleServices(outDir);
    for (const [name, packages] of Object.entries(imports)) {
      console.log(`${outDir}/${name}.mjs imports ${packages.join(', ')}`);
    }
  }
}
