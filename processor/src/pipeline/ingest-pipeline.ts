/**
 * The per-message pipeline of the processor's one decode: decode the message
 * into the events it carries, validate each. It only composes steps; each
 * step says what it did with its input.
 */
import type { EnrichedEvent, ProfileRecord, StepResult } from '@gosight/schema';
import { createDecodeStep } from './decode-step';
import type { ConsumedMessage } from '../consume/event-source';
import { createValidateProfileStep } from './validate-profile-step';
import { createValidateStep } from './validate-step';

/**
 * Receives one result per event of a message, with the decoded input it came
 * from; `input` is undefined when the message as a whole was set aside
 * (undecodable, empty), `single` is true when the message held one bare
 * event (format 1) rather than an array.
 */
export type IngestResultHandler = (
  result: StepResult<EnrichedEvent>,
  input: unknown,
  single: boolean,
) => void;

/** Receives one result per profile of a profiles message, with the decoded input it came from. */
export type ProfileResultHandler = (result: StepResult<ProfileRecord>, input: unknown) => void;

/**
 * Creates the pipeline that turns one bus message into enriched events or
 * set-aside results; the profiles of a profiles message go to `eachProfile`
 * (without one, they are set aside as unexpected).
 */
export function createIngestPipeline() {
  const decode = createDecodeStep();
  const validate = createValidateStep();
  const validateProfile = createValidateProfileStep();
  return function ingest(
    message: ConsumedMessage,
    each: IngestResultHandler,
    eachProfile?: ProfileResultHandler,
  ): void {
    const decoded = decode(message);
    if (decoded.kind !== 'ok') {
      each(decoded, undefined, true);
      return;
    }
    const { events, array, profiles } = decoded.value;
    if (profiles !== undefined) {
      for (const input of profiles) {
        if (eachProfile) eachProfile(validateProfile(input), input);
        else each(validate(input), input, false);
      }
      return;
    }
    for (const input of events) each(validate(input), input, !array);
  };
}
