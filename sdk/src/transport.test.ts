// @vitest-environment happy-dom
import type { WireEvent } from '@gosight/schema/types';
import { describe, expect, test } from 'vitest';
import { readConfig } from './config';
import { createStore } from './storage';
import { installCollector, settle } from './test/harness';
import { createTransport } from './transport';
import { uuid } from './uuid';

const col = installCollector();
const ev = (text = 'x'): WireEvent => ({
  id: uuid(),
  type: 'custom',
  ts: Date.now(),
  session_id: 's',
  anon_id: 'a',
  url: 'http://localhost:3000/',
  payload: { name: 'n', props: { text } },
});
const queued = () =>
  (JSON.parse(localStorage.getItem('gs_q') ?? '[[]]') as [WireEvent[], number])[0];

describe('transport', () => {
  const tr = createTransport(
    readConfig({ project: 'p' }, 'https://ingest.example'),
    createStore(false),
  );

  test('a failed batch (503) stays queued in localStorage; a 400 is dropped', async () => {
    col.answer = { status: 503, retryAfter: '60' };
    tr._add(ev());
    tr._flush();
    await settle();
    expect(queued()).toHaveLength(1);
    // Retry-After 60 s: flushing again does not send before then
    const sent = col.batches.length;
    tr._flush();
    await settle();
    expect(col.batches.length).toBe(sent);
    localStorage.setItem('gs_q', JSON.stringify([queued(), 0, 0]));
    col.answer = { status: 400 };
    tr._flush();
    await settle();
    expect(queued()).toHaveLength(0);
  });

  test('the queue keeps the newest 100 events and reports the dropped count in the next batch', async () => {
    col.answer = { status: 503 };
    localStorage.setItem('gs_q', JSON.stringify([[], 0, Date.now() + 60_000]));
    for (let i = 0; i < 120; i++) tr._add(ev(String(i)));
    tr._flush();
    expect(queued()).toHaveLength(100);
    expect((queued()[0]!.payload as { props: { text: string } }).props.text).toBe('20');
    localStorage.setItem('gs_q', JSON.stringify([queued(), 20, 0]));
    col.answer = { status: 202 };
    col.batches.length = 0;
    tr._flush();
    await settle();
    expect(col.batches[0]!.meta).toEqual({ dropped: 20, cookieless: false });
    expect(queued()).toHaveLength(0);
  });

  test('bodies above 60 KB are split', async () => {
    col.batches.length = 0;
    for (let i = 0; i < 8; i++) tr._add(ev('y'.repeat(1000) + i));
    localStorage.setItem(
      'gs_q',
      JSON.stringify([Array.from({ length: 90 }, () => ev('z'.repeat(1000))), 0, 0]),
    );
    tr._flush();
    await settle();
    expect(col.batches.length).toBe(2);
    for (const b of col.batches)
      expect(new Blob([JSON.stringify(b)]).size).toBeLessThanOrEqual(60 * 1024);
    expect(col.batches.flatMap((b) => b.events)).toHaveLength(98);
  });
});
