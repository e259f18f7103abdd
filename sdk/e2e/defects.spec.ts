/** Issue 16: the defects a real site would hit, each as a site owner would see it. */
import { expect, test } from '@playwright/test';
import { leave, ready, until, useSiteAndCollector, watch } from './harness';

const t = useSiteAndCollector();
const attrs = (more: Record<string, string> = {}) => ({ endpoint: t.col.url, ...more });

test('the script loaded twice sends every event once and warns once with data-debug', async ({
  page,
}) => {
  await page.goto(t.site.page('twice', attrs({ debug: '' })));
  await ready(page);
  await page.waitForTimeout(300); // let the second copy run
  await page.click('#buy');
  await page.waitForTimeout(1100);
  await leave(page);
  await until(() => t.col.ofType('click').length >= 1);
  await page.waitForTimeout(300); // time for a second copy's beacon
  expect(t.col.ofType('page_view')).toHaveLength(1);
  expect(t.col.ofType('custom')).toHaveLength(1);
  expect(t.col.ofType('click')).toHaveLength(1);
  expect(t.errors).toEqual(['warning: gosight: loaded twice']);
});

test('identify queued by the snippet before the script loads is on the landing page view', async ({
  page,
}) => {
  await page.goto(t.site.page('page', attrs()));
  await ready(page);
  await leave(page);
  await until(() => t.col.ofType('custom').length >= 1);
  const [view] = t.col.ofType('page_view');
  expect(view!.user_id).toBe('user-42');
  // replayed in order, after the landing page view
  expect(
    t.col
      .delivered()
      .map((e) => e.type)
      .slice(0, 2),
  ).toEqual(['page_view', 'custom']);
  expect(t.col.ofType('custom')[0]!.user_id).toBe('user-42');
});

test('clicked text: buttons, links and labels only, digits and e-mails masked, data-gosight-mask, no input values', async ({
  page,
}) => {
  await page.goto(t.site.page('page', attrs()));
  await ready(page);
  await page.click('#card');
  await page.click('#mail');
  await page.click('#who');
  await page.click('#news-label');
  await page.fill('#email', 'jane@example.com');
  await page.click('#email');
  await page.click('#pw');
  await page.waitForTimeout(1100);
  await leave(page);
  await until(() => t.col.ofType('click').length >= 7); // the label's click also clicks #news
  const text = Object.fromEntries(
    t.col.ofType('click').map((e) => [e.payload.selector, e.payload.text ?? null]),
  );
  expect(text).toEqual({
    '#card': null,
    '#mail': 'Send * items to *',
    '#who': '*',
    '#news-label': 'Newsletter ****',
    '#news': null,
    '#email': null,
    '#pw': null,
  });
  const beacons = t.col.received.map((r) => r.raw).join('\n');
  for (const secret of ['4111', 'jane', 'Jane', 'hunter2']) expect(beacons).not.toContain(secret);
});

test('data-cookieless: one session per tab across page loads, nothing stored beyond the tab', async ({
  page,
  context,
}) => {
  const url = t.site.page('page', attrs({ cookieless: '' }));
  await page.goto(url);
  await ready(page);
  await page.goto(url); // a second page load of the same visit
  await ready(page);
  const stored = await page.evaluate(() => ({
    local: Object.keys(localStorage).filter((k) => k.startsWith('gs_')),
    session: Object.keys(sessionStorage).filter((k) => k.startsWith('gs_')),
    cookie: document.cookie,
  }));
  const other = await context.newPage(); // another tab: another session
  watch(other, t.errors);
  await other.goto(url);
  await ready(other);
  await leave(page);
  await leave(other);
  await until(() => t.col.ofType('page_view').length >= 3);
  const sessions = t.col.ofType('page_view').map((v) => v.session_id);
  expect(sessions[0]).toBe(sessions[1]);
  expect(new Set(sessions).size).toBe(2);
  expect(stored.local).toEqual([]);
  expect(stored.session).toContain('gs_s');
  expect(stored.cookie).toBe('');
  // the ingestor derives the visitor id of these events (a daily-rotating hash)
  for (const r of t.col.received) expect(r.batch.meta).toMatchObject({ cookieless: true });
  expect(t.errors).toEqual([]);
});

test('a link to #x is a hash navigation, not back/forward', async ({ page }) => {
  await page.goto(t.site.page('page', attrs()));
  await ready(page);
  await page.click('#reviews');
  await page.waitForTimeout(200);
  await leave(page);
  await until(() => t.col.ofType('page_view').length >= 2);
  const views = t.col.ofType('page_view');
  expect(views.map((v) => v.payload?.nav)).toEqual(['load', 'hash']);
  expect(views[1]!.url).toBe(t.site.page('page', attrs()) + '#reviews');
});

test('<script type="module" src=…> works like the classic tag', async ({ page }) => {
  await page.goto(t.site.page('module', attrs()));
  await ready(page);
  await page.click('#buy');
  await page.waitForTimeout(1100);
  await leave(page);
  await until(() => t.col.ofType('click').length >= 1);
  expect(t.col.ofType('page_view')).toHaveLength(1);
  expect(t.col.received[0]!.batch.project).toBe('proj_e2e');
  expect(t.errors).toEqual([]);
});
