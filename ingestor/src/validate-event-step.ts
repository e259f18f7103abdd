/** Step `validate-event`: one event against the wire contract (schema/). */
import { checkWireEvent, type ValidWireEvent } from '@gosight/schema';
import { ok, quarantine, type StepResult } from './step-result';

export const VALIDATE_EVENT_STEP = 'validate-event';

/** Creates the step: valid events pass on typed; invalid ones are quarantined naming path and rule. */
export function createValidateEventStep() {
  return function validateEvent(raw: unknown, index: number): StepResult<ValidWireEvent> {
    const checked = checkWireEvent(raw, index);
    if (checked.ok) return ok(checked.value);
    return quarantine(VALIDATE_EVENT_STEP, checked.reason, checked.problem.rule);
  };
}
