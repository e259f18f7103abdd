import { defineConfig } from 'vitest/config';

// `npm test -- bi`: Superset with the gosight dashboards (issue 18) against the
// real local stack; the test global setup brings the stack up when needed.
export default defineConfig({
  test: {
    name: 'bi',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/bi/**/*.bi.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    // A cold run installs Superset into a venv (a few minutes) before the first test.
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
