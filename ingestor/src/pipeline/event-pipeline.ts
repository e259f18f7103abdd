/**
 * The per-event pipeline: validate-event → drop-bot → enrich-event. This file
 * only composes the steps; each lives in its own file.
 */
import type { EnrichedEvent, StepResult } from '@gosight/schema';
import type { BatchContext } from './batch-context';
import { createDropBotStep } from './drop-bot-step';
import { createEnrichEventStep } from './enrich-event-step';
import { createValidateEventStep } from './validate-event-step';

/** Runs one raw event of a batch through every step, stopping at the first non-ok result. */
export type EventPipeline = (
  raw: unknown,
  index: number,
  batch: BatchContext,
) => StepResult<EnrichedEvent>;

/** Creates the pipeline (steps are created once, not per event). */
export function createEventPipeline(): EventPipeline {
  const validateEvent = createValidateEventStep();
  const dropBot = createDropBotStep();
  const enrichEvent = createEnrichEventStep();
  return function runEventPipeline(raw, index, batch) {
    const valid = validateEvent(raw, index);
    if (valid.kind !== 'ok') return valid;
    const kept = dropBot(valid.value, batch);
    if (kept.kind !== 'ok') return kept;
    return enrichEvent(kept.value, batch);
  };
}
