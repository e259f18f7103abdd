import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tsxLoaderUrl } from './tsx-loader';

it("points at tsx's ESM loader, an existing file", () => {
  const url = tsxLoaderUrl();
  expect(url).toMatch(/^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
  expect(existsSync(fileURLToPath(url))).toBe(true);
});
