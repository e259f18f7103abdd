import {
  drop,
  ok,
  profilesOfMessage,
  quarantine,
  rawMessageEvents,
  type StepResult,
} from '@gosight/schema';
import type { ConsumedMessage } from '../consume/event-source';

export const DECODE_STEP = 'decode';

/**
 * The unchecked events of a message; `array` is false for a bare event (format 1).
 * A profiles message (schema profiles.ts) has no events and its unchecked `profiles`.
 */
export interface DecodedMessage {
  events: readonly unknown[];
  array: boolean;
  profiles?: readonly unknown[];
}

/**
 * Creates the step that turns a Kafka message's bytes into the events it
 * carries (schema raw-message.ts): the elements of a JSON array, or one value
 * for a message of format 1. Each is still unchecked; validation is next.
 */
export function createDecodeStep() {
  return function decode(message: ConsumedMessage): StepResult<DecodedMessage> {
    if (message.value === null) return drop(DECODE_STEP, 'message has no value');
    let decoded: unknown;
    try {
      decoded = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return quarantine(DECODE_STEP, `not JSON: ${(error as Error).message}`, 'not JSON');
    }
    // Only a bare object can be a profiles message: the array of a format-2 message is not looked into.
    const profiles = Array.isArray(decoded) ? undefined : profilesOfMessage(decoded);
    if (profiles !== undefined) {
      return profiles.length === 0
        ? quarantine(DECODE_STEP, 'profiles message carries no profile', 'empty profile list')
        : ok({ events: [], array: false, profiles });
    }
    const events = rawMessageEvents(decoded);
    return events.length === 0
      ? quarantine(DECODE_STEP, 'message carries an empty event list', 'empty event list')
      : ok({ events, array: Array.isArray(decoded) });
  };
}
