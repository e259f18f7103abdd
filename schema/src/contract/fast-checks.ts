/**
 * The hot-path checks, generated from the zod schemas (scripts/generate.ts →
 * generated/validators.js, ajv standalone code of `z.toJSONSchema` in output
 * mode) plus the rules JSON Schema cannot say, named next to the schema.
 *
 * Each answers only when it is certain: it returns the input itself when zod
 * would accept it AND return an equal value (no unknown key to strip);
 * otherwise undefined, and the caller asks zod, which gives the verdict and
 * the reason. So "fast, else zod" answers exactly as zod alone.
 * generated.test.ts checks that on 20k mutations and fails when the
 * generated file is stale. The inputs are JSON values (from JSON.parse).
 */
import { isHttpUrl, withWireDefaults } from './wire';
import type { EnrichedEvent, ValidWireEvent } from './types';
import type { CheckedBatch } from './validate';
import {
  validateEnrichedEvent,
  validateWireBatch,
  validateWireEvent,
} from '../generated/validators';

/** The wire event, when certainly valid as is (after the page_view default); else undefined. */
export function fastWireEvent(input: unknown): ValidWireEvent | undefined {
  const event = withWireDefaults(input);
  if (!validateWireEvent(event)) return undefined;
  const valid = event as ValidWireEvent;
  return isHttpUrl(valid.url) ? valid : undefined;
}

/** The batch envelope, when certainly valid as is; else undefined. */
export function fastWireBatch(input: unknown): CheckedBatch | undefined {
  return validateWireBatch(input) ? (input as CheckedBatch) : undefined;
}

/** The enriched event, when certainly valid as is; else undefined (the processor asks zod). */
export function fastEnrichedEvent(input: unknown): EnrichedEvent | undefined {
  return validateEnrichedEvent(input) ? (input as EnrichedEvent) : undefined;
}

export { validateEnrichedEvent };
