/** Test helpers for the happy-dom unit tests: a recording fetch, a real hide, wire checks. */
// validate.ts directly: the package index also loads the migration runner, whose
// file-URL code fails under happy-dom's URL.
import { checkWireBatch, checkWireEvent } from '../../../schema/src/contract/validate';
import type { WireBatch, WireEvent } from '@gosight/schema/types';
import { expect } from 'vitest';
import { readConfig, type Attributes } from '../config';
import { createTracker } from '../tracker';

/** What the fake collector answers: status and optional Retry-After. */
export interface Answer {
  status: number;
  retryAfter?: string;
}

/** Replaces fetch with a collector that records every batch body and answers `answer`. */
export const installCollector = () => {
  const c = {
    batches: [] as WireBatch[],
    answer: { status: 202 } as Answer,
    events(): WireEvent[] {
      return c.batches.flatMap((b) => b.events);
    },
    ofType<T extends WireEvent['type']>(type: T) {
      return c.events().filter((e): e is Extract<WireEvent, { type: T }> => e.type == type);
    },
  };
  globalThis.fetch = ((_url: string, init: RequestInit) => {
    c.batches.push(JSON.parse(init.body as string) as WireBatch);
    const { status, retryAfter } = c.answer;
    return Promise.resolve({
      status,
      headers: new Headers(retryAfter ? { 'Retry-After': retryAfter } : {}),
    } as Response);
  }) as typeof fetch;
  return c;
};

/** Starts a tracker as a script tag with these data attributes would. */
export const startTracker = (attrs: Attributes = {}) =>
  createTracker(readConfig({ project: 'proj_1', ...attrs }, 'https://ingest.example'));

/** Lets queued promise callbacks and zero-delay timers run. */
export const settle = () => new Promise((r) => setTimeout(r, 5));

/** Hides the page (visibilitychange → hidden, which flushes), then shows it again. */
export const hideAndShow = async () => {
  for (const state of ['hidden', 'visible']) {
    // a browser keeps document.hidden and visibilityState in step; the SDK reads hidden
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    Object.defineProperty(document, 'hidden', { value: state == 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }
  await settle();
};

/** Asserts that every recorded batch and event passes the schema's wire checks. */
export const expectWireValid = (batches: WireBatch[]) => {
  expect(batches.length).toBeGreaterThan(0);
  for (const b of batches) {
    const checked = checkWireBatch(b);
    expect(checked.ok ? '' : checked.reason).toBe('');
    b.events.forEach((e, i) => {
      const r = checkWireEvent(e, i);
      expect(r.ok ? '' : `${e.type}: ${r.reason}`).toBe('');
    });
  }
};
