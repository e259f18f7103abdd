/**
 * What the segment cache costs (issue 17 §1): memory per cached user and the
 * lookup per event, next to the row serialisation it sits beside.
 *
 *   node --expose-gc --import tsx bench/processor/segment-cache.ts [--users 500000]
 */
import { parseArgs } from 'node:util';
import type { EnrichedEvent } from '@gosight/schema';
import { eventRowLine } from '../../processor/src/events/event-row-line';
import { createSegmentCache } from '../../processor/src/profiles/segment-cache';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';

const { values } = parseArgs({ options: { users: { type: 'string', default: '500000' } } });
const USERS = Number(values.users);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');
const T = Date.UTC(2026, 10, 22);
const SEGMENTS = ['free', 'premium', 'trial', 'enterprise'];

gc();
const before = process.memoryUsage().heapUsed;
const cache = createSegmentCache(USERS);
for (let i = 0; i < USERS; i++) {
  // A fresh string per row, as rows parsed from ClickHouse bring them.
  cache.apply('pk_bench', `customer-${i}`, `${SEGMENTS[i % 4]}`.slice(0), T - 1000);
}
gc();
const bytes = process.memoryUsage().heapUsed - before;
console.log(
  `[bench] segment cache: ${cache.size} users, ${(bytes / 1e6).toFixed(0)} MB heap = ${Math.round(bytes / USERS)} B a user`,
);

const events: EnrichedEvent[] = [];
for (let s = 0; s < 2000; s++) {
  const userId = `customer-${(s * 7919) % USERS}`;
  events.push(...realisticSession(newSession('pk_bench', { userId }), 20, T + s * 1000));
}
let sink = 0;
function time(label: string, f: () => void) {
  for (let w = 0; w < 3; w++) f();
  const reps = 10;
  const start = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) f();
  const ns = Number(process.hrtime.bigint() - start) / reps / events.length;
  console.log(`[bench] ${label}: ${(ns / 1000).toFixed(2)} µs an event`);
}
time('segmentAt (every event has a user id)', () => {
  for (const e of events) sink += cache.segmentAt(e.project_id, e.user_id, e.ts).length;
});
time('eventRowLine (for scale)', () => {
  for (const e of events) sink += eventRowLine(e, 'unknown').length;
});
console.log(`[bench] ${events.length} events${sink > 0 ? '' : ' '}`);
