// @vitest-environment happy-dom
import { beforeAll, describe, expect, test } from 'vitest';
import { expectWireValid, hideAndShow, installCollector, startTracker } from '../test/harness';
import { selectorOf } from './selector';

const col = installCollector();
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const click = (el: Element, x = 10, y = 10) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));

beforeAll(() => {
  document.body.innerHTML = `
    <button id="buy">  Buy
       now </button>
    <div data-testid="card"><button>Card</button></div>
    <ul><li>a</li><li><a href="/x?email=a@b.c&id=1">link</a></li></ul>
    <div data-gosight-ignore><button id="secret">secret</button></div>
    <input id="pw" type="password" value="hunter2">`;
  document.getElementById('buy')!.addEventListener('click', () => document.body.append('bought'));
  Object.defineProperty(document.documentElement, 'scrollHeight', {
    value: 4000,
    configurable: true,
  });
  startTracker({ auto: 'clicks,errors,scroll' });
});

describe('selector', () => {
  test('prefers ids, then test data attributes, then tag:nth-of-type', () => {
    expect(selectorOf(document.getElementById('buy')!)).toBe('#buy');
    expect(selectorOf(document.querySelector('[data-testid] button')!)).toBe(
      'div[data-testid="card"]>button',
    );
    expect(selectorOf(document.querySelector('a')!)).toBe('body>ul>li:nth-of-type(2)>a');
  });
});

describe('clicks', () => {
  test('payload, masked href, ignored subtree, no input text; dead and rage flags after 1 s', async () => {
    click(document.getElementById('buy')!);
    click(document.querySelector('a')!);
    click(document.getElementById('secret')!);
    click(document.getElementById('pw')!);
    await wait(50); // let the mutation made by #buy's handler be observed first
    const card = document.querySelector('[data-testid] button')!;
    click(card, 100, 100);
    click(card, 110, 105);
    click(card, 105, 110);
    await wait(1100);
    await hideAndShow();
    const clicks = col.ofType('click').map((e) => e.payload);
    expect(clicks.map((c) => c.selector)).toEqual([
      '#buy',
      'body>ul>li:nth-of-type(2)>a',
      '#pw',
      'div[data-testid="card"]>button',
      'div[data-testid="card"]>button',
      'div[data-testid="card"]>button',
    ]);
    expect(clicks[0]).toMatchObject({ tag: 'button', text: 'Buy now', vx: 10, vy: 10 });
    expect(clicks[0]!.dead).toBeUndefined();
    expect(clicks[1]!.href).toBe('http://localhost:3000/x?id=1');
    expect(clicks[2]!.text).toBeUndefined();
    expect(clicks.slice(3).map((c) => [c.rage, c.dead])).toEqual([
      [undefined, true],
      [undefined, true],
      [true, true],
    ]);
  });
});

describe('errors', () => {
  test('uncaught errors and rejections, deduplicated within a page view', async () => {
    const err = new TypeError('bad thing');
    for (let i = 0; i < 2; i++)
      window.dispatchEvent(
        new ErrorEvent('error', {
          message: 'Uncaught TypeError: bad thing',
          error: err,
          filename: 'http://localhost:3000/app.js?token=t',
          lineno: 3,
          colno: 9,
        }),
      );
    const rejection = new Event('unhandledrejection') as Event & { reason: unknown };
    rejection.reason = 'plain string';
    window.dispatchEvent(rejection);
    await hideAndShow();
    const errors = col.ofType('js_error').map((e) => e.payload);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      kind: 'error',
      error_type: 'TypeError',
      source: 'http://localhost:3000/app.js',
      line: 3,
      col: 9,
    });
    expect(errors[0]!.stack).toContain('bad thing');
    expect(errors[1]).toEqual({ kind: 'unhandledrejection', message: 'plain string' });
  });
});

describe('scroll and page_leave', () => {
  test('max depth of the view, reported with page_leave on hide', async () => {
    Object.defineProperty(window, 'scrollY', { value: 1280, configurable: true });
    window.dispatchEvent(new Event('scroll'));
    await hideAndShow();
    const depth = Math.round(((1280 + innerHeight) / 4000) * 100);
    expect(col.ofType('scroll').slice(-1)[0]!.payload.depth).toBe(depth);
    expect(col.ofType('page_leave').slice(-1)[0]!.payload.max_scroll).toBe(depth);
    expectWireValid(col.batches);
  });

  test('a view that starts before its page is laid out is not counted as read to the end', async () => {
    const height = (value: number) =>
      Object.defineProperty(document.documentElement, 'scrollHeight', {
        value,
        configurable: true,
      });
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
    height(innerHeight); // the new route has not rendered yet: everything fits
    history.pushState({}, '', '/next-route');
    height(4000);
    await hideAndShow();
    const leave = col.ofType('page_leave').slice(-1)[0]!;
    expect(leave.url).toContain('/next-route');
    expect(leave.payload.max_scroll).toBe(Math.round((innerHeight / 4000) * 100));
  });
});
