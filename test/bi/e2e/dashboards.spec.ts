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

async function login(page: Page): Promise<void> {
  await page.goto(`${baseUrl()}/login/`);
  await page.locator('input[name="username"], #username').first().fill('admin');
  await page
    .locator('input[name="password"], #password')
    .first()
    .fill(process.env.BI_TEST_PASSWORD ?? '');
  await page.locator('button[type="submit"], input[type="submit"]').first().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

test.beforeEach(async ({ page }) => {
  await login(page);
});

for (const dashboard of DASHBOARDS) {
  const charts = dashboard.rows.flatMap((r) => r.cells.filter((c) => 'chart' in c)).length;

  test(`${dashboard.title} renders every chart`, async ({ page }) => {
    await page.goto(`${baseUrl()}/superset/dashboard/${dashboard.slug}/?standalone=1`);
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
