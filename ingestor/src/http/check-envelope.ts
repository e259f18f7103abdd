/**
 * The batch envelope check: the schema's generated validator, else zod
 * (`checkWireBatch`), which gives the verdict and the reason. The generated
 * validator takes only envelopes zod returns unchanged (fast-checks.ts), so
 * the answer is zod's either way; the SDK's envelopes never reach zod.
 */
import { checkWireBatch, fastWireBatch, type Checked, type WireBatch } from '@gosight/schema';

/** What the route reads from a checked envelope (the events are read from the body itself). */
export type CheckedEnvelope = Checked<Pick<WireBatch, 'project' | 'sent_at' | 'meta'>>;

/** Same answer as `checkWireBatch(body)`. */
export function checkEnvelope(body: unknown): CheckedEnvelope {
  const value = fastWireBatch(body);
  return value === undefined ? checkWireBatch(body) : { ok: true, value };
}
