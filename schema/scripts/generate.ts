/**
 * Generates the fast paths of the schemas (CONVENTIONS.md, "One source of
 * truth, generated fast paths"), in the manner of fastify's
 * `build/build-validation.js`: the zod schemas are turned into JSON Schema
 * (`z.toJSONSchema`, output mode: unknown keys make an object invalid, so a
 * value the validator accepts is one zod returns unchanged) and compiled by
 * ajv's standalone code generation into plain ESM functions.
 *
 *   npm run generate -w schema          # writes schema/src/generated/
 *   npm run generate -w schema -- --check   # fails when a file is stale
 *
 * `generated.test.ts` fails too when a file differs from what this produces
 * now, and checks that the generated validators agree with zod.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../src/generated');
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [name, text] of Object.entries(await generatedFiles())) {
  const path = join(outDir, name);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) stale.push(name);
  else {
    writeFileSync(path, text);
    console.log(`wrote schema/src/generated/${name}`);
  }
}
if (stale.length > 0) {
  console.error(
    `stale generated files: ${stale.join(', ')}; run \`npm run generate -w schema\` and commit them`,
  );
  process.exit(1);
}
