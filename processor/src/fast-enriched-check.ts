/**
 * A hand-written fast path for the enriched-event schema (schema/src/enriched.ts
 * and the payloads of schema/src/wire.ts). zod costs ~7 µs a message and both
 * consumer groups validate every message; this check costs a fraction of that.
 *
 * It is one-sided on purpose: it returns the event only when it is certain zod
 * accepts the input AND would return an equal value (same keys, same values,
 * payload keys in the schema's order); otherwise it returns undefined and the
 * caller asks zod, which then gives the verdict and the reason. So the verdict
 * of "fast, else zod" is always zod's — both groups keep quarantining /
 * skipping exactly the same messages — and the fast path only has to be right
 * about valid events. fast-enriched-check.test.ts checks this against zod on
 * valid events and on many mutations of them. Whoever changes the schema must
 * change this file too; that test fails until they do.
 */
import { ENRICHED_SCHEMA_VERSION, LIMITS, VITAL_RANGES, type EnrichedEvent } from '@gosight/schema';

type Obj = Record<string, unknown>;

// zod 4's z.uuid() pattern (RFC 9562 variant and versions 1-8, plus nil and max).
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

/** The keys of an enriched event; all are required. */
const EVENT_KEYS = new Set([
  'v',
  'event_id',
  'project_id',
  'session_id',
  'anon_id',
  'user_id',
  'ts',
  'client_ts',
  'sent_at',
  'received_at',
  'url',
  'path',
  'referrer',
  'title',
  'viewport_w',
  'viewport_h',
  'screen_w',
  'screen_h',
  'lang',
  'ip',
  'country',
  'region',
  'city',
  'user_agent',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'device_type',
  'is_bot',
  'type',
  'payload',
]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number, min = 0): v is string =>
  typeof v === 'string' && v.length <= max && v.length >= min;
const optStr = (v: unknown, max: number) => v === undefined || str(v, max);
const int = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const num = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';

/** True when every own key of `o` is one of `known` (zod would strip any other). */
function onlyKnown(o: Obj, known: ReadonlySet<string>): boolean {
  for (const key in o) if (!known.has(key)) return false;
  return true;
}

/**
 * The payload with its keys in the schema's order (zod's output order): `o`
 * itself when they already are (the usual case: the ingestor wrote it from a
 * zod output), else a copy. `o` has only known keys (checked before).
 */
function inSchemaOrder(o: Obj, order: readonly string[]): Obj {
  let at = 0;
  let ordered = true;
  for (const key in o) {
    while (at < order.length && order[at] !== key) at += 1;
    if (at === order.length) {
      ordered = false;
      break;
    }
  }
  if (ordered) return o;
  const out: Obj = {};
  for (const key of order) if (o[key] !== undefined) out[key] = o[key];
  return out;
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
  if (!isObj(props) || Object.getPrototypeOf(props) !== Object.prototype) return false;
  let n = 0;
  for (const key in props) {
    // zod builds its own object; a "__proto__" key would not survive that copy as a key.
    if (key === '__proto__' || key.length < 1 || key.length > LIMITS.maxCustomPropKey) return false;
    const v = props[key];
    if (!(
      v === null ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      str(v, LIMITS.maxCustomPropValue)
    ))
      return false;
    n += 1;
  }
  return n <= LIMITS.maxCustomProps;
}

/** The payload as zod would return it, or undefined when unsure. */
function payloadOf(type: unknown, p: unknown): Obj | undefined {
  if (!isObj(p)) return undefined;
  switch (type) {
    case 'page_view':
      if (!onlyKnown(p, KNOWN.page_view)) return undefined;
      if (p.nav !== undefined && !(typeof p.nav === 'string' && NAV.has(p.nav))) return undefined;
      for (const k of PAGE_VIEW) if (k !== 'nav' && !optStr(p[k], LIMITS.maxUtm)) return undefined;
      return inSchemaOrder(p, PAGE_VIEW);
    case 'click':
      if (!onlyKnown(p, KNOWN.click)) return undefined;
      if (!int(p.x, -C, C) || !int(p.y, -C, C) || !int(p.vx, -C, C) || !int(p.vy, -C, C))
        return undefined;
      if (!str(p.selector, LIMITS.maxSelector, 1) || !str(p.tag, LIMITS.maxTag, 1))
        return undefined;
      if (!optStr(p.text, LIMITS.maxElementText) || !optStr(p.href, LIMITS.maxUrl))
        return undefined;
      if (!optBool(p.rage) || !optBool(p.dead)) return undefined;
      return inSchemaOrder(p, CLICK);
    case 'scroll':
      if (!onlyKnown(p, KNOWN.scroll) || !int(p.depth, 0, 100)) return undefined;
      return inSchemaOrder(p, SCROLL);
    case 'page_leave':
      if (!onlyKnown(p, KNOWN.page_leave)) return undefined;
      if (!int(p.time_on_page_ms, 0, LIMITS.maxTimeOnPageMs) || !int(p.max_scroll, 0, 100))
        return undefined;
      return inSchemaOrder(p, PAGE_LEAVE);
    case 'js_error':
      if (!onlyKnown(p, KNOWN.js_error)) return undefined;
      if (!str(p.message, LIMITS.maxErrorMessage) || !optStr(p.error_type, LIMITS.maxErrorType))
        return undefined;
      if (!optStr(p.stack, LIMITS.maxErrorStack) || !optStr(p.source, LIMITS.maxUrl))
        return undefined;
      if ((p.line !== undefined && !int(p.line, 0)) || (p.col !== undefined && !int(p.col, 0)))
        return undefined;
      if (p.kind !== undefined && !(typeof p.kind === 'string' && ERROR_KIND.has(p.kind)))
        return undefined;
      return inSchemaOrder(p, JS_ERROR);
    case 'web_vitals': {
      if (!onlyKnown(p, KNOWN.web_vitals)) return undefined;
      const name = p.name;
      if (typeof name !== 'string' || !Object.hasOwn(VITAL_RANGES, name)) return undefined;
      const range = VITAL_RANGES[name as keyof typeof VITAL_RANGES];
      if (!num(p.value, range.min, range.max)) return undefined;
      if (p.rating !== undefined && !(typeof p.rating === 'string' && RATING.has(p.rating)))
        return undefined;
      return inSchemaOrder(p, VITALS);
    }
    case 'custom':
      if (!onlyKnown(p, KNOWN.custom) || !str(p.name, LIMITS.maxCustomName, 1)) return undefined;
      if (!customProps(p.props)) return undefined;
      return inSchemaOrder(p, CUSTOM);
    default:
      return undefined;
  }
}

/**
 * The enriched event when `input` is certainly valid (zod would return an
 * equal value), undefined when zod must decide. Never throws. On success the
 * input itself is returned (its payload replaced by a reordered copy when
 * needed), so the caller must own it — the decode step's fresh JSON.parse
 * output does.
 */
export function fastEnrichedEvent(input: unknown): EnrichedEvent | undefined {
  if (!isObj(input) || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const e = input;
  // No key zod would strip (each required key is checked below).
  if (!onlyKnown(e, EVENT_KEYS)) return undefined;
  if (e.v !== ENRICHED_SCHEMA_VERSION) return undefined;
  if (typeof e.event_id !== 'string' || !UUID.test(e.event_id)) return undefined;
  if (!str(e.project_id, LIMITS.maxProjectKey, 1)) return undefined;
  if (!str(e.session_id, LIMITS.maxIdLength, 1) || !str(e.anon_id, LIMITS.maxIdLength, 1))
    return undefined;
  if (e.user_id !== null && !str(e.user_id, LIMITS.maxUserId)) return undefined;
  if (!int(e.ts, 0) || !int(e.client_ts, 0) || !int(e.sent_at, 0) || !int(e.received_at, 0))
    return undefined;
  if (!str(e.url, LIMITS.maxUrl) || !str(e.path, LIMITS.maxUrl)) return undefined;
  if (!str(e.referrer, LIMITS.maxReferrer) || !str(e.title, LIMITS.maxTitle)) return undefined;
  if (!int(e.viewport_w, 0) || !int(e.viewport_h, 0) || !int(e.screen_w, 0) || !int(e.screen_h, 0))
    return undefined;
  if (!str(e.lang, LIMITS.maxLang) || !str(e.ip, 64) || !str(e.country, 8)) return undefined;
  if (!str(e.region, 128) || !str(e.city, 128) || !str(e.user_agent, 512)) return undefined;
  if (!str(e.browser, 64) || !str(e.browser_version, 64)) return undefined;
  if (!str(e.os, 64) || !str(e.os_version, 64) || !str(e.device_type, 16)) return undefined;
  if (typeof e.is_bot !== 'boolean') return undefined;
  const payload = payloadOf(e.type, e.payload);
  if (payload === undefined) return undefined;
  if (payload !== e.payload) e.payload = payload;
  return e as unknown as EnrichedEvent;
}
