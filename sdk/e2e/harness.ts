/** Shared setup of a browser spec: the site, a fresh collector per test, and the console's complaints. */
import { expect, test, type Page } from '@playwright/test';
import { startCollector, startSite } from './servers';

export type Collector = Awaited<ReturnType<typeof startCollector>>;
export type Site = Awaited<ReturnType<typeof startSite>>;

/** Registers the hooks; the returned object's fields are set before each test runs. */
export const useSiteAndCollector = () => {
  const t = { site: undefined as unknown as Site, col: undefined as unknown as Collector };
  /** Console errors and warnings, uncaught page errors and 404s of the current test. */
  const errors: string[] = [];
  test.beforeAll(async () => {
    t.site = await startSite();
  });
  test.afterAll(async () => {
    await t.site.close();
  });
  test.beforeEach(async ({ page }) => {
    t.col = await startCollector();
    errors.length = 0;
    watch(page, errors);
  });
  test.afterEach(async () => {
    await t.col.close();
  });
  return Object.assign(t, { errors });
};

/** Records what a site owner would see in the console of `page`. */
export const watch = (page: Page, errors: string[]) => {
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('response', (r) => r.status() == 404 && errors.push('404: ' + r.url()));
  page.on('console', (m) => {
    if (m.type() == 'error' || m.type() == 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
};

/** Waits until the SDK has replaced the snippet's stub. */
export const ready = (page: Page) =>
  page.waitForFunction(
    () => typeof (window as { gosight?: { track?: unknown } }).gosight?.track == 'function',
  );

/** Really hides the page: navigating away runs visibilitychange → hidden and pagehide. */
export const leave = (page: Page) => page.goto('about:blank');

export const until = async (what: () => unknown, timeout = 10_000) =>
  expect.poll(what, { timeout }).toBeTruthy();
