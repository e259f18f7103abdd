import { defineConfig } from '@playwright/test';
import { debianChromium } from '../test/debian-chromium';

// Browser tests of the SDK in Debian's Chromium; the test page and the collector
// are node:http servers started by the tests themselves (e2e/servers.ts).
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  timeout: 30_000,
  reporter: 'list',
  use: {
    headless: true,
    launchOptions: debianChromium,
  },
});
