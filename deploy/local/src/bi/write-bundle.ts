/**
 * `npx tsx deploy/local/src/bi/write-bundle.ts`: (re)writes the Superset
 * bundle under deploy/bi/bundle from the specs in bundle-*.ts, formatted by
 * the repository's Prettier so `prettier --check` and the files agree.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { BUNDLE_DIR } from './bi-paths';
import { buildBundle } from './build-bundle';

/** The bundle's files as they are committed: file name within the bundle → formatted YAML. */
export async function formattedBundle(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, text] of buildBundle()) {
    const filepath = path.join(BUNDLE_DIR, name);
    const options = (await resolveConfig(filepath)) ?? {};
    out.set(name, await format(text, { ...options, filepath }));
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const files = await formattedBundle();
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  for (const [name, text] of files) {
    const file = path.join(BUNDLE_DIR, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  console.log(`wrote ${files.size} files to ${path.relative(process.cwd(), BUNDLE_DIR)}`);
}
