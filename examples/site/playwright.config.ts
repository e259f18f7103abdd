import { defineConfig } from '@playwright/test';

// The demo shop end to end in Debian's Chromium: each project starts `npm start`'s
// process itself (e2e/standalone-server.ts) on one topology and checks ClickHouse.
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  timeout: 120_000,
  reporter: 'list',
  projects: [
    { name: 'single-machine', metadata: { topology: 'single-machine' } },
    { name: 'kafka-redis', metadata: { topology: 'kafka-redis' } },
  ],
  use: {
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
