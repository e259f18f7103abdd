import { defineConfig } from '@playwright/test';
import { debianChromium } from '../test/debian-chromium';

// Browser tests of the SDK in Debian's Chromium; the test page and the collector
// are node:http servers started by the tests themselves (e2e/servers.ts).
export default defineConfig({
  testDir: 'e2e',
  // Its own folder: Playwright empties its output folder at start, and test-results/ holds the
  // other steps' reports (the failover step's is written while this runs).
  outputDir: '../test-results/sdk-playwright',
  workers: 1,
  timeout: 30_000,
  reporter: 'list',
  use: {
    headless: true,
    launchOptions: debianChromium,
  },
});
