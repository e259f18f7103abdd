/**
 * The batch envelope check: the schema's `checkWireBatch`, without zod
 * rebuilding every event. The contract checks each event of the envelope
 * only to be a record (`z.record(z.string(), z.unknown())`), and zod does so
 * by copying every key of every event — ~8 % of the CPU of a 25-event batch,
 * for a copy the route never uses (events are validated one by one after).
 * When every event is a plain object — which that record schema accepts
 * whatever its keys and values — the envelope is checked with an empty
 * object standing in for each event: same length, so the same verdict and
 * the same first problem (check-envelope.test.ts compares both on generated
 * envelopes). Anything else goes to `checkWireBatch` as is.
 */
import {
  checkWireBatch,
  hasOnlyKeys,
  isInt,
  isStr,
  LIMITS,
  type Checked,
  type WireBatch,
} from '@gosight/schema';

/** What the route reads from a checked envelope (the events are read from the body itself). */
export type CheckedEnvelope = Checked<Pick<WireBatch, 'project' | 'sent_at' | 'meta'>>;

const STAND_IN: Readonly<Record<string, never>> = Object.freeze({});

const META_KEYS = new Set(['dropped', 'sdk']);

/**
 * The envelope when it is certainly valid, with the values zod would return
 * (project, sent_at, meta); undefined when zod must decide. One-sided like
 * the schema's fast event check: it never accepts what zod refuses, and
 * leaves anything unusual (unknown meta keys, odd prototypes) to zod. The
 * SDK's envelope always takes this path: no zod call on a good batch.
 */
export function fastEnvelope(body: unknown): Extract<CheckedEnvelope, { ok: true }> | undefined {
  if (!isPlainObject(body)) return undefined;
  const { project, sent_at: sentAt, events, meta } = body as Record<string, unknown>;
  if (!isStr(project, LIMITS.maxProjectKey, 1)) return undefined;
  if (!isInt(sentAt, LIMITS.minTimestampMs, LIMITS.maxTimestampMs)) return undefined;
  if (!Array.isArray(events) || events.length < 1 || events.length > LIMITS.maxEventsPerBatch) {
    return undefined;
  }
  if (!events.every(isPlainObject)) return undefined;
  if (meta === undefined) return { ok: true, value: { project, sent_at: sentAt } };
  if (!isPlainObject(meta) || !hasOnlyKeys(meta as Record<string, unknown>, META_KEYS)) {
    return undefined;
  }
  const { dropped, sdk } = meta as Record<string, unknown>;
  if (dropped !== undefined && !isInt(dropped, 0)) return undefined;
  if (sdk !== undefined && !isStr(sdk, 32)) return undefined;
  const checkedMeta: { dropped?: number; sdk?: string } = {};
  if (dropped !== undefined) checkedMeta.dropped = dropped;
  if (sdk !== undefined) checkedMeta.sdk = sdk;
  return { ok: true, value: { project, sent_at: sentAt, meta: checkedMeta } };
}

/** Same answer as `checkWireBatch(body)`, minus the copied events. */
export function checkEnvelope(body: unknown): CheckedEnvelope {
  const fast = fastEnvelope(body);
  if (fast) return fast;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const events = (body as { events?: unknown }).events;
    if (Array.isArray(events) && events.every(isPlainObject)) {
      const standIns = new Array<typeof STAND_IN>(events.length).fill(STAND_IN);
      return checkWireBatch({ ...body, events: standIns });
    }
  }
  return checkWireBatch(body);
}

/** An object straight from JSON.parse: Object.prototype, no own `constructor` to confuse zod. */
function isPlainObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, 'constructor')
  );
}
