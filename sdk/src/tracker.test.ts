// @vitest-environment happy-dom
import { beforeAll, describe, expect, test } from 'vitest';
import { expectWireValid, hideAndShow, installCollector, startTracker } from './test/harness';

const col = installCollector();
let api: ReturnType<typeof startTracker>;

beforeAll(() => {
  history.replaceState(null, '', '/shop?utm_source=news&utm_medium=mail&Token=abc&q=1');
  document.title = 'Shop';
  api = startTracker({ maskParams: 'q' });
});

describe('tracker core', () => {
  test('a page_view on load carries the masked URL, title and UTM parameters', async () => {
    await hideAndShow();
    const [view] = col.ofType('page_view');
    expect(view?.url).toBe('http://localhost:3000/shop?utm_source=news&utm_medium=mail');
    expect(view?.title).toBe('Shop');
    expect(view?.payload).toEqual({ nav: 'load', utm_source: 'news', utm_medium: 'mail' });
    expect(view?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(col.batches[0]?.project).toBe('proj_1');
  });

  test('SPA navigation ends the old view and starts a new one with the old URL as referrer', async () => {
    const before = col.events().length;
    history.pushState(null, '', '/cart');
    history.replaceState({ x: 1 }, '', '/cart'); // same URL: not a view
    location.hash = '#step2';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await hideAndShow();
    const events = col.events().slice(before);
    const views = events.filter((e) => e.type == 'page_view');
    expect(views.map((e) => [e.url, e.payload?.nav, e.referrer])).toEqual([
      [
        'http://localhost:3000/cart',
        'push',
        'http://localhost:3000/shop?utm_source=news&utm_medium=mail',
      ],
      ['http://localhost:3000/cart#step2', 'hash', 'http://localhost:3000/cart'],
    ]);
    const leave = events.find((e) => e.type == 'page_leave');
    expect(leave?.url).toBe('http://localhost:3000/shop?utm_source=news&utm_medium=mail');
  });

  test('track, identify and ids: custom events carry name, clean props, user and stable ids', async () => {
    api.identify('user-7');
    api.track('signup', {
      plan: 'pro',
      seats: 3,
      ok: true,
      none: null,
      fn: () => 1,
      big: 10n,
      nested: {},
    });
    api.track('');
    await hideAndShow();
    const [custom, ...rest] = col.ofType('custom');
    expect(rest).toHaveLength(0);
    expect(custom?.payload).toEqual({
      name: 'signup',
      props: { plan: 'pro', seats: 3, ok: true, none: null },
    });
    expect(custom?.user_id).toBe('user-7');
    const sessions = new Set(col.events().map((e) => e.session_id));
    const anons = new Set(col.events().map((e) => e.anon_id));
    expect([sessions.size, anons.size]).toEqual([1, 1]);
    expect(localStorage.getItem('gs_a')).toContain([...anons][0]);
    expect(new Set(col.events().map((e) => e.id)).size).toBe(col.events().length);
  });

  test('identify with traits sends them once as a $identify event, cleaned like props', async () => {
    const before = col.ofType('custom').length;
    api.identify('user-8', {
      plan: 'pro',
      seats: 3,
      fn: () => 1,
      nested: {},
      ['k'.repeat(200)]: 'x',
    });
    api.identify(null, { plan: 'ignored without a user' });
    await hideAndShow();
    const sent = col.ofType('custom').slice(before);
    expect(sent.map((e) => [e.payload.name, e.payload.props, e.user_id])).toEqual([
      ['$identify', { plan: 'pro', seats: 3, ['k'.repeat(128)]: 'x' }, 'user-8'],
    ]);
    api.identify('user-7');
  });

  test('optOut stops capture across reloads (persisted) and optIn resumes', async () => {
    api.optOut();
    const before = col.events().length;
    api.track('hidden');
    await hideAndShow();
    expect(col.events().length).toBe(before);
    expect(localStorage.getItem('gs_off')).toBe('1');
    api.optIn();
    api.track('back');
    await hideAndShow();
    expect(col.ofType('custom').map((e) => e.payload.name)).toContain('back');
  });

  test('every event the SDK produced passes the schema wire checks', () => {
    expectWireValid(col.batches);
  });
});
