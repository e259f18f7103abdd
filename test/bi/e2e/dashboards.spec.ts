/**
 * Each gosight dashboard in Superset renders all its charts in Debian's
 * Chromium, with no error box. Screenshots go to test-results/bi-screenshots;
 * with BI_SCREENSHOTS_DIR=docs they refresh the README's (`See your data`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { DASHBOARDS } from '../../../deploy/local/src/bi/bundle-dashboards';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHOTS = path.resolve(ROOT, process.env.BI_SCREENSHOTS_DIR ?? 'test-results/bi-screenshots');
const baseUrl = (): string => process.env.BI_TEST_URL ?? '';

/**
 * Logs in through Superset's form and checks the session with its API. The
 * form is filled again when a submit did not leave /login within 30 s: a CI
 * rehearsal once saw a submit that never navigated (3 minutes, the test's
 * whole budget), and its retry found the dashboard behind the login page.
 * Only the navigation's start is awaited, not the next page's `load`.
 */
async function login(page: Page): Promise<void> {
  const username = page.locator('input[name="username"], #username').first();
  const password = page.locator('input[name="password"], #password').first();
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${baseUrl()}/login/`, { waitUntil: 'domcontentloaded' });
    await username.fill('admin');
    await password.fill(process.env.BI_TEST_PASSWORD ?? '');
    // A form React renders again after the fill would submit empty fields.
    await expect(username).toHaveValue('admin');
    await page.locator('button[type="submit"], input[type="submit"]').first().click();
    try {
      await page.waitForURL((url) => !url.pathname.startsWith('/login'), {
        waitUntil: 'commit',
        timeout: 30_000,
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(`Superset login attempt ${attempt} stayed on /login after 30 s; again`);
      continue;
    }
    const me = await page.request.get(`${baseUrl()}/api/v1/me/`);
    if (me.ok()) return;
    if (attempt >= 3) throw new Error(`Superset login: /api/v1/me/ answered ${me.status()}`);
    console.warn(`Superset login attempt ${attempt}: /api/v1/me/ answered ${me.status()}; again`);
  }
}

test.beforeEach(async ({ page }) => {
  await login(page);
});

for (const dashboard of DASHBOARDS) {
  const charts = dashboard.rows.flatMap((r) => r.cells.filter((c) => 'chart' in c)).length;

  test(`${dashboard.title} renders every chart`, async ({ page }) => {
    const dashboardUrl = `${baseUrl()}/superset/dashboard/${dashboard.slug}/?standalone=1`;
    await page.goto(dashboardUrl);
    if (new URL(page.url()).pathname.startsWith('/login')) {
      // The session checked in beforeEach was not taken: log in once more.
      console.warn(`Superset sent ${dashboard.slug} to its login page; logging in again`);
      await login(page);
      await page.goto(dashboardUrl);
    }
    const holders = page.locator('[data-test="chart-grid-component"]');
    await expect(holders).toHaveCount(charts, { timeout: 60_000 });
    // Every chart finished loading and drew something: a canvas/svg (ECharts) or a table/number.
    await expect(page.locator('[data-test="loading-indicator"], .loading')).toHaveCount(0, {
      timeout: 90_000,
    });
    for (let i = 0; i < charts; i++) {
      const chart = holders.nth(i);
      await expect(chart.locator('canvas, svg, table, .header-line, .big-number')).not.toHaveCount(
        0,
      );
    }
    const errors = page.locator(
      '[data-test="error-message"], .alert-danger, [data-test="alert"], .ant-alert-error',
    );
    await expect(errors).toHaveCount(0);
    await expect(page.getByText(/unexpected error|no results/i)).toHaveCount(0);
    await page.screenshot({
      path: path.join(SHOTS, `bi-${dashboard.key.replace('_', '-')}.png`),
      fullPage: true,
    });
  });
}
