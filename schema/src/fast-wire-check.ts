/**
 * A hand-written fast path for the wire-event schema (wireEvent in wire.ts;
 * the payload part is fast-payload.ts). zod costs ~5–7 µs an event and the
 * ingestor validates every event of every batch; this check costs a fraction
 * of that.
 *
 * It is one-sided on purpose: it returns an event only when it is certain zod
 * accepts the input AND would return an equal value; otherwise undefined, and
 * the caller asks zod (`checkWireEvent`), which gives the verdict and the
 * reason. So "fast, else zod" quarantines exactly what zod alone would, and
 * the fast path only has to be right about valid events.
 * fast-wire-check.test.ts checks this against zod on valid events and on 20k
 * mutations of them. Whoever changes wire.ts must change this file too; that
 * test fails until they do.
 */
import {
  UUID_PATTERN,
  fastPayload,
  hasOnlyKeys,
  inSchemaOrder,
  isInt,
  isOptStr,
  isPlainObject,
  isStr,
} from './fast-payload';
import { LIMITS } from './limits';
import type { ValidWireEvent } from './types';

type Obj = Record<string, unknown>;

/** wire.ts `opaqueId` and `httpUrl`. */
const OPAQUE_ID = /^[A-Za-z0-9_-]+$/;
const HTTP_URL = /^https?:\/\//i;
const SIZE = ['w', 'h'];
const SIZE_KEYS = new Set(SIZE);

// The events of one beacon mostly share their page's URL: the last verdict is kept.
let lastUrl: string | undefined;
let lastUrlParses = false;
function canParseUrl(url: string): boolean {
  if (url !== lastUrl) {
    lastUrlParses = URL.canParse(url);
    lastUrl = url;
  }
  return lastUrlParses;
}

const isOpaqueId = (v: unknown): boolean => isStr(v, LIMITS.maxIdLength, 1) && OPAQUE_ID.test(v);

/** A viewport or screen as zod returns it (`{ w, h }`), or undefined when unsure. */
function sizeOf(v: unknown): Obj | undefined {
  if (!isPlainObject(v) || !hasOnlyKeys(v, SIZE_KEYS)) return undefined;
  if (!isInt(v.w, 0, LIMITS.maxPixels) || !isInt(v.h, 0, LIMITS.maxPixels)) return undefined;
  return inSchemaOrder(v, SIZE);
}

/**
 * The validated wire event when `input` is certainly valid (zod would return
 * an equal value), undefined when zod must decide. Never throws. The result is
 * a new object with zod's key order; its payload, viewport and screen are the
 * input's own objects when their keys are already in the schema's order (the
 * SDK writes them so), else copies.
 */
export function fastWireEvent(input: unknown): ValidWireEvent | undefined {
  if (!isPlainObject(input)) return undefined;
  const { id, ts, session_id, anon_id, user_id, url, referrer, title, viewport, screen, lang } =
    input;
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) return undefined;
  if (!isInt(ts, LIMITS.minTimestampMs, LIMITS.maxTimestampMs)) return undefined;
  if (!isOpaqueId(session_id) || !isOpaqueId(anon_id)) return undefined;
  if (user_id !== undefined && !isStr(user_id, LIMITS.maxUserId, 1)) return undefined;
  if (!isStr(url, LIMITS.maxUrl) || !HTTP_URL.test(url) || !canParseUrl(url)) return undefined;
  if (!isOptStr(referrer, LIMITS.maxReferrer) || !isOptStr(title, LIMITS.maxTitle))
    return undefined;
  if (!isOptStr(lang, LIMITS.maxLang)) return undefined;
  const vp = viewport === undefined ? undefined : sizeOf(viewport);
  if (vp === undefined && viewport !== undefined) return undefined;
  const sc = screen === undefined ? undefined : sizeOf(screen);
  if (sc === undefined && screen !== undefined) return undefined;

  const type = input.type;
  // The page_view payload is `.default({})`: zod puts `{}` in for a missing one.
  const raw = input.payload === undefined && type === 'page_view' ? {} : input.payload;
  const payload = fastPayload(type, raw);
  if (payload === undefined) return undefined;

  // zod's output: shape order; an optional key is there when `key in input`,
  // even with the value undefined; unknown keys are dropped.
  const out: Obj = { id, ts, session_id, anon_id };
  if ('user_id' in input) out.user_id = user_id;
  out.url = url;
  if ('referrer' in input) out.referrer = referrer;
  if ('title' in input) out.title = title;
  if ('viewport' in input) out.viewport = vp;
  if ('screen' in input) out.screen = sc;
  if ('lang' in input) out.lang = lang;
  out.type = type;
  out.payload = payload;
  return out as unknown as ValidWireEvent;
}
