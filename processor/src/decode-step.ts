import type { BusMessage } from './event-source';
import { drop, ok, quarantine, type StepResult } from './step-result';

export const DECODE_STEP = 'decode';

/** Creates the step that turns a Kafka message's bytes into a JSON value. */
export function createDecodeStep() {
  return function decode(message: BusMessage): StepResult<unknown> {
    if (message.value === null) return drop(DECODE_STEP, 'message has no value');
    try {
      return ok(JSON.parse(message.value.toString('utf8')) as unknown);
    } catch (error) {
      return quarantine(DECODE_STEP, `not JSON: ${(error as Error).message}`);
    }
  };
}
