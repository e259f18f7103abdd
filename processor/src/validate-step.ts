import { checkEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { fastEnrichedEvent } from './fast-enriched-check';
import { ok, quarantine, type StepResult } from './step-result';

export const VALIDATE_STEP = 'validate-event';

/**
 * Creates the step that checks a decoded value against the enriched-event
 * schema. Valid events take the fast path (fast-enriched-check.ts); anything
 * it is not sure about goes to zod, so the verdict and reason are zod's.
 */
export function createValidateStep() {
  return function validate(input: unknown): StepResult<EnrichedEvent> {
    const fast = fastEnrichedEvent(input);
    if (fast !== undefined) return ok(fast);
    const checked = checkEnrichedEvent(input);
    return checked.ok ? ok(checked.value) : quarantine(VALIDATE_STEP, checked.reason);
  };
}
