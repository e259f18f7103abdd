/**
 * The hand-written payload check of the processor's fast path
 * (processor/src/fast-enriched-check.ts). The ingestor uses the generated
 * validators instead (fast-checks.ts); once the processor switches to
 * `fastEnrichedEvent` / `validateEnrichedEvent`, this file goes.
 *
 * Like that fast path it is one-sided: it returns a payload only when it is
 * certain zod accepts it and would return an equal value with keys in the
 * schema's order; otherwise undefined, and the caller asks zod. Whoever
 * changes a payload schema in wire.ts must change this file too; the fast
 * path's test (20k mutations, compared with zod) fails until they do.
 */
import { LIMITS, VITAL_RANGES } from './limits';

type Obj = Record<string, unknown>;

/** zod 4's z.uuid() pattern (RFC 9562 variant and versions 1-8, plus nil and max). */
export const UUID_PATTERN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

/**
 * True for an object as JSON.parse builds it (prototype Object.prototype).
 * zod takes any non-array object; anything else is left to zod.
 */
export const isPlainObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** True for a string of `min`..`max` UTF-16 code units (zod's `.min()`/`.max()`). */
export const isStr = (v: unknown, max: number, min = 0): v is string =>
  typeof v === 'string' && v.length <= max && v.length >= min;

/** True for undefined or a string of at most `max` code units (zod's `.optional()`). */
export const isOptStr = (v: unknown, max: number): boolean => v === undefined || isStr(v, max);

/** True for a safe integer in [min, max] (zod 4's `.int()` is safe-integer only). */
export const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

const isNum = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isOptBool = (v: unknown) => v === undefined || typeof v === 'boolean';

/** True when every enumerable key of `o` is one of `known` (zod would strip any other). */
export function hasOnlyKeys(o: Obj, known: ReadonlySet<string>): boolean {
  for (const key in o) if (!known.has(key)) return false;
  return true;
}

/**
 * `o` with its keys in the schema's order (zod's output order): `o` itself
 * when they already are (the usual case: the SDK and the ingestor write them
 * so), else a copy. `o` must have only keys of `order` (checked before). Like
 * zod, the copy keeps a key that is present with the value undefined.
 */
export function inSchemaOrder(o: Obj, order: readonly string[]): Obj {
  let at = 0;
  for (const key in o) {
    while (at < order.length && order[at] !== key) at += 1;
    if (at === order.length) {
      const out: Obj = {};
      for (const k of order) if (k in o) out[k] = o[k];
      return out;
    }
  }
  return o;
}

const PAGE_VIEW = ['nav', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
const CLICK = ['x', 'y', 'vx', 'vy', 'selector', 'tag', 'text', 'href', 'rage', 'dead'];
const SCROLL = ['depth'];
const PAGE_LEAVE = ['time_on_page_ms', 'max_scroll'];
const JS_ERROR = ['message', 'error_type', 'stack', 'source', 'line', 'col', 'kind'];
const VITALS = ['name', 'value', 'rating'];
const CUSTOM = ['name', 'props'];
const KNOWN = {
  page_view: new Set(PAGE_VIEW),
  click: new Set(CLICK),
  scroll: new Set(SCROLL),
  page_leave: new Set(PAGE_LEAVE),
  js_error: new Set(JS_ERROR),
  web_vitals: new Set(VITALS),
  custom: new Set(CUSTOM),
};
const NAV = new Set(['load', 'push', 'replace', 'pop', 'hash', 'bfcache']);
const RATING = new Set(['good', 'needs-improvement', 'poor']);
const ERROR_KIND = new Set(['error', 'unhandledrejection']);
const C = LIMITS.maxCoordinate;

function customProps(props: unknown): boolean {
  if (props === undefined) return true;
  if (!isPlainObject(props)) return false;
  let n = 0;
  for (const key in props) {
    // zod builds its own object; a "__proto__" key would not survive that copy as a key.
    if (key === '__proto__' || key.length < 1 || key.length > LIMITS.maxCustomPropKey) return false;
    const v = props[key];
    if (!(
      v === null ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      isStr(v, LIMITS.maxCustomPropValue)
    ))
      return false;
    n += 1;
  }
  // zod's record also reads symbol keys (and rejects them: keys are strings);
  // `for...in` does not see them. JSON never has any, so this stays cheap.
  return n <= LIMITS.maxCustomProps && Object.getOwnPropertySymbols(props).length === 0;
}

/**
 * The payload of an event of `type` as zod would return it (`payload` itself
 * when its keys are already in the schema's order, else a reordered copy), or
 * undefined when unsure. Never throws. A missing payload is left to the
 * caller: the wire page_view defaults it to `{}`, the enriched one does not.
 */
export function fastPayload(type: unknown, payload: unknown): Obj | undefined {
  if (!isPlainObject(payload)) return undefined;
  const p = payload;
  switch (type) {
    case 'page_view':
      if (!hasOnlyKeys(p, KNOWN.page_view)) return undefined;
      if (p.nav !== undefined && !(typeof p.nav === 'string' && NAV.has(p.nav))) return undefined;
      for (const k of PAGE_VIEW)
        if (k !== 'nav' && !isOptStr(p[k], LIMITS.maxUtm)) return undefined;
      return inSchemaOrder(p, PAGE_VIEW);
    case 'click':
      if (!hasOnlyKeys(p, KNOWN.click)) return undefined;
      if (!isInt(p.x, -C, C) || !isInt(p.y, -C, C) || !isInt(p.vx, -C, C) || !isInt(p.vy, -C, C))
        return undefined;
      if (!isStr(p.selector, LIMITS.maxSelector, 1) || !isStr(p.tag, LIMITS.maxTag, 1))
        return undefined;
      if (!isOptStr(p.text, LIMITS.maxElementText) || !isOptStr(p.href, LIMITS.maxUrl))
        return undefined;
      if (!isOptBool(p.rage) || !isOptBool(p.dead)) return undefined;
      return inSchemaOrder(p, CLICK);
    case 'scroll':
      if (!hasOnlyKeys(p, KNOWN.scroll) || !isInt(p.depth, 0, 100)) return undefined;
      return inSchemaOrder(p, SCROLL);
    case 'page_leave':
      if (!hasOnlyKeys(p, KNOWN.page_leave)) return undefined;
      if (!isInt(p.time_on_page_ms, 0, LIMITS.maxTimeOnPageMs) || !isInt(p.max_scroll, 0, 100))
        return undefined;
      return inSchemaOrder(p, PAGE_LEAVE);
    case 'js_error':
      if (!hasOnlyKeys(p, KNOWN.js_error)) return undefined;
      if (!isStr(p.message, LIMITS.maxErrorMessage) || !isOptStr(p.error_type, LIMITS.maxErrorType))
        return undefined;
      if (!isOptStr(p.stack, LIMITS.maxErrorStack) || !isOptStr(p.source, LIMITS.maxUrl))
        return undefined;
      if ((p.line !== undefined && !isInt(p.line, 0)) || (p.col !== undefined && !isInt(p.col, 0)))
        return undefined;
      if (p.kind !== undefined && !(typeof p.kind === 'string' && ERROR_KIND.has(p.kind)))
        return undefined;
      return inSchemaOrder(p, JS_ERROR);
    case 'web_vitals': {
      if (!hasOnlyKeys(p, KNOWN.web_vitals)) return undefined;
      const name = p.name;
      if (typeof name !== 'string' || !Object.hasOwn(VITAL_RANGES, name)) return undefined;
      const range = VITAL_RANGES[name as keyof typeof VITAL_RANGES];
      if (!isNum(p.value, range.min, range.max)) return undefined;
      if (p.rating !== undefined && !(typeof p.rating === 'string' && RATING.has(p.rating)))
        return undefined;
      return inSchemaOrder(p, VITALS);
    }
    case 'custom':
      if (!hasOnlyKeys(p, KNOWN.custom) || !isStr(p.name, LIMITS.maxCustomName, 1))
        return undefined;
      if (!customProps(p.props)) return undefined;
      return inSchemaOrder(p, CUSTOM);
    default:
      return undefined;
  }
}
