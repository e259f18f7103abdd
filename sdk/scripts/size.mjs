// Prints the gzip -9 size of dist/gosight.js and where the bytes go, and fails
// above the regression guard. Run after `npm run build -w sdk`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const GOAL = 3584; // 3.5 KB, the target
const GUARD = 4608; // 4.5 KB, the regression guard
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const gz = (s) => gzipSync(s, { level: 9 }).length;

const iife = readFileSync(join(dist, 'gosight.js'));
const esm = readFileSync(join(dist, 'gosight.esm.js'));
if (/zod|ZodError|safeParse/.test(iife.toString())) {
  console.error('dist/gosight.js contains zod code; the SDK may import schema types only');
  process.exit(1);
}

const modules = JSON.parse(readFileSync(join(dist, 'modules.json'), 'utf8'));
const rows = [];
for (const [id, code] of Object.entries(modules)) {
  if (!code.trim()) continue;
  const min =
    (
      await minify(code, {
        ecma: 2020,
        compress: { passes: 2 },
        mangle: { properties: { regex: /^_/ } },
      })
    ).code ?? '';
  rows.push({ id, min: min.length, gz: gz(min) });
}
const totalMin = rows.reduce((s, r) => s + r.min, 0);
const total = gz(iife);
console.log(
  'per module: each module minified and gzipped alone (gz alone), and its share of the IIFE gzip size by minified bytes (share)',
);
console.log('module'.padEnd(36), 'min'.padStart(6), 'gz alone'.padStart(9), 'share'.padStart(7));
for (const r of rows.sort((a, b) => b.min - a.min))
  console.log(
    r.id.padEnd(36),
    String(r.min).padStart(6),
    String(r.gz).padStart(9),
    String(Math.round((total * r.min) / totalMin)).padStart(7),
  );
console.log(
  `dist/gosight.js: ${iife.length} B minified, ${total} B gzip -9 (goal ${GOAL}, guard ${GUARD})`,
);
console.log(
  total > GOAL
    ? `goal: ${total - GOAL} B to go to reach ${GOAL} B`
    : `goal: reached, ${GOAL - total} B under ${GOAL} B`,
);
console.log(`dist/gosight.esm.js: ${esm.length} B minified, ${gz(esm)} B gzip -9`);
if (total > GUARD) {
  console.error(`FAIL: ${total} B gzip is above the ${GUARD} B guard`);
  process.exit(1);
}
