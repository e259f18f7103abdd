import { checkEnrichedEvent, type EnrichedEvent } from '@gosight/schema';
import { ok, quarantine, type StepResult } from './step-result';

export const VALIDATE_STEP = 'validate-event';

/** Creates the step that checks a decoded value against the enriched-event schema. */
export function createValidateStep() {
  return function validate(input: unknown): StepResult<EnrichedEvent> {
    const checked = checkEnrichedEvent(input);
    return checked.ok ? ok(checked.value) : quarantine(VALIDATE_STEP, checked.reason);
  };
}
