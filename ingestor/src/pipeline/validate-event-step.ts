/** Step `validate-event`: one event against the wire contract (schema/). */
import {
  checkWireEvent,
  fastWireEvent,
  ok,
  quarantine,
  type StepResult,
  type ValidWireEvent,
} from '@gosight/schema';

export const VALIDATE_EVENT_STEP = 'validate-event';

/**
 * Creates the step: valid events pass on typed; invalid ones are quarantined
 * naming path and rule. The fast check answers only for events it is sure are
 * valid; zod decides the rest, so verdicts and reasons are zod's.
 */
export function createValidateEventStep() {
  return function validateEvent(raw: unknown, index: number): StepResult<ValidWireEvent> {
    const fast = fastWireEvent(raw);
    if (fast !== undefined) return ok(fast);
    const checked = checkWireEvent(raw, index);
    if (checked.ok) return ok(checked.value);
    return quarantine(VALIDATE_EVENT_STEP, checked.reason, checked.problem.rule);
  };
}
