import { describeProblem, firstProblem, type Problem } from './describe-issue';
import { enrichedEvent } from './enriched';
import type { EnrichedEvent, ValidWireEvent } from './types';
import { wireBatch, wireEvent } from './wire';
import type { z } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem; reason: string };

function check<T>(result: z.ZodSafeParseResult<T>, prefix: (string | number)[]): Checked<T> {
  if (result.success) return { ok: true, value: result.data };
  const problem = firstProblem(result.error, prefix);
  return { ok: false, problem, reason: describeProblem(problem) };
}

/** The batch envelope after validation (events only checked to be objects). */
export type CheckedBatch = z.output<typeof wireBatch>;

/** Checks the batch envelope; events are only checked to be objects (see `checkWireEvent`). */
export function checkWireBatch(input: unknown): Checked<CheckedBatch> {
  return check(wireBatch.safeParse(input), []);
}

/** Checks one event of a batch; `index` only prefixes the problem's path. */
export function checkWireEvent(input: unknown, index?: number): Checked<ValidWireEvent> {
  return check(wireEvent.safeParse(input), index === undefined ? [] : ['events', index]);
}

/** Checks an enriched event as read from Kafka. */
export function checkEnrichedEvent(input: unknown): Checked<EnrichedEvent> {
  return check(enrichedEvent.safeParse(input), []);
}
