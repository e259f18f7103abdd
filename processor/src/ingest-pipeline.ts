/**
 * The per-message pipeline both consumer groups share: decode → validate.
 * It only composes steps; each step says what it did with the input.
 */
import type { EnrichedEvent } from '@gosight/schema';
import { createDecodeStep } from './decode-step';
import type { BusMessage } from './event-source';
import type { StepResult } from './step-result';
import { createValidateStep } from './validate-step';

/** Creates the pipeline that turns one bus message into an enriched event or a set-aside result. */
export function createIngestPipeline() {
  const decode = createDecodeStep();
  const validate = createValidateStep();
  return function ingest(message: BusMessage): StepResult<EnrichedEvent> {
    const decoded = decode(message);
    if (decoded.kind !== 'ok') return decoded;
    return validate(decoded.value);
  };
}
