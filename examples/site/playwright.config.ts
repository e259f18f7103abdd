import { defineConfig } from '@playwright/test';
import { debianChromium } from '../../test/debian-chromium';

// The demo shop end to end in Debian's Chromium: each project starts `npm start`'s
// process itself (e2e/standalone-server.ts) on one topology and checks ClickHouse.
export default defineConfig({
  testDir: 'e2e',
  // Its own folder: Playwright empties its output folder at start, and test-results/ holds the
  // other steps' reports (the failover step's is written while this runs).
  outputDir: '../../test-results/site-playwright',
  workers: 1,
  timeout: 120_000,
  reporter: 'list',
  projects: [
    { name: 'single-machine', metadata: { topology: 'single-machine' } },
    { name: 'kafka-redis', metadata: { topology: 'kafka-redis' } },
  ],
  use: {
    headless: true,
    launchOptions: debianChromium,
  },
});
