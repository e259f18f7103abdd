// Builds dist/gosight.js (IIFE for the script tag), dist/gosight.esm.js and
// dist/types/*.d.ts, and records each module's rendered code of the IIFE in
// dist/modules.json for scripts/size.mjs.
import { writeFileSync, mkdirSync } from 'node:fs';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const ts = (declarations) =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts', 'src/test/**'],
    compilerOptions: declarations
      ? {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: false,
          declarationDir: 'dist/types',
        }
      : { noEmit: false, declaration: false },
  });

const minify = () =>
  terser({
    ecma: 2020,
    module: true,
    toplevel: true,
    compress: {
      passes: 3,
      // flips comparisons (`!(a > b)` to `a <= b`): safe here, every compared value is a number, never NaN
      unsafe_comps: true,
      unsafe: true,
      unsafe_arrows: true,
      unsafe_methods: true,
      pure_getters: true,
    },
    // private fields and methods are `_`-prefixed so they can be renamed
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });

// `let` is `const` without the reassignment check, which the type checker has
// already made; the shorter keyword saves ~2 bytes per declaration. Adjacent
// declarations in one statement list then become one (`let a=1;let b=2` is
// `let a=1,b=2`), which terser does not do across const and let. Rewrites the
// declarations found in the parsed minified code (never text in strings).
const constToLet = () => ({
  name: 'const-to-let',
  renderChunk(code) {
    const edits = []; // [start, end, replacement], non-overlapping
    const merged = new Set();
    const isDecl = (n) => n?.type == 'VariableDeclaration' && n.kind != 'var';
    const walk = (node) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          const prev = node[i - 1];
          if (isDecl(n) && isDecl(prev) && prev.end == n.start && code[prev.end - 1] == ';') {
            edits.push([prev.end - 1, n.start + n.kind.length + 1, ',']);
            merged.add(n);
          }
        });
        return node.forEach(walk);
      }
      if (!node || typeof node.type != 'string') return;
      if (node.type == 'VariableDeclaration' && node.kind == 'const' && !merged.has(node))
        edits.push([node.start, node.start + 5, 'let']);
      for (const k in node) if (node[k] && typeof node[k] == 'object') walk(node[k]);
    };
    walk(this.parse(code));
    for (const [a, b, r] of edits.sort((x, y) => y[0] - x[0]))
      code = code.slice(0, a) + r + code.slice(b);
    return { code, map: null };
  },
});

const moduleMap = () => ({
  name: 'module-map',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const modules = Object.fromEntries(
        Object.entries(chunk.modules).map(([id, m]) => [
          id.replace(process.cwd() + '/', ''),
          m.code ?? '',
        ]),
      );
      mkdirSync('dist', { recursive: true });
      writeFileSync('dist/modules.json', JSON.stringify(modules, null, 1));
    }
  },
});

export default [
  {
    input: 'src/index.ts',
    output: {
      file: 'dist/gosight.js',
      format: 'iife',
      plugins: [moduleMap(), minify(), constToLet()],
    },
    plugins: [ts(false)],
  },
  {
    input: 'src/esm.ts',
    output: {
      dir: 'dist',
      entryFileNames: 'gosight.esm.js',
      format: 'es',
      plugins: [minify(), constToLet()],
    },
    plugins: [ts(true)],
  },
];
