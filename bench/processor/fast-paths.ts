/**
 * What the processor's per-event steps cost, on realistic enriched events as JSON.parse gives
 * them: validation by the validator generated from the zod schema (@gosight/schema
 * fastEnrichedEvent, ajv standalone) and by zod alone, and the events row line. Compare with
 * the processor's CPU a row (`bench/processor/run.ts`): a hand-written fast path is only worth
 * keeping where it saves ≥ 10 % of it. (The hand-written check and row writer that were removed
 * saved 0.40 and 0.09 µs an event here, next to 23 µs a row.)
 *
 *   npx tsx bench/processor/fast-paths.ts [--events 200000]
 */
import { parseArgs } from 'node:util';
import { checkEnrichedEvent, fastEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { eventRowLine } from '../../processor/src/events/event-row-line';
import { newSession, realisticSession } from '../../processor/src/testing/enriched-builder';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const N = Number(values.events);
const events: EnrichedEvent[] = [];
while (events.length < N) events.push(...realisticSession(newSession('pk_fast'), 20, Date.now()));
// As the processor sees them: fresh objects from JSON.parse.
const parsed = events.map((e) => JSON.parse(JSON.stringify(e)) as unknown);

function time(what: string, run: (input: unknown) => unknown): number {
  for (let i = 0; i < 20_000; i++) run(parsed[i % parsed.length]); // warm up
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    let sink = 0;
    for (const input of parsed) sink += run(input) === undefined ? 0 : 1;
    const us = Number(process.hrtime.bigint() - t0) / 1000 / parsed.length;
    if (sink !== parsed.length) throw new Error(`${what}: ${parsed.length - sink} not accepted`);
    best = Math.min(best, us);
  }
  console.log(`${what.padEnd(46)} ${best.toFixed(2)} µs an event`);
  return best;
}

const gen = time('validate: generated from the schema (ajv)', fastEnrichedEvent);
const zod = time('validate: zod alone', (input) => {
  const checked = checkEnrichedEvent(input);
  return checked.ok ? checked.value : undefined;
});
const line = time('row: eventRowLine (toEventRow + JSON.stringify)', (input) =>
  eventRowLine(input as EnrichedEvent),
);
console.log(
  `generating the validator saves ${(zod - gen).toFixed(2)} µs an event over zod; validation and row together ${(gen + line).toFixed(2)} µs`,
);
