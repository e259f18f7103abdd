/**
 * Maps an enriched event onto the columns of `events`
 * (schema/migrations/0001_events.sql). The insert itself is written as
 * JSONCompactEachRow lines by event-row-line.ts (a test holds the two equal);
 * this object form is the reference. DateTime64 columns take epoch-ms
 * numbers: the ClickHouse engine reads an integer as ticks of the column's
 * precision (ms for DateTime64(3)), the cheapest exact form.
 */
import { UNKNOWN_SEGMENT, type EnrichedEvent } from '@gosight/schema';

/** One row of `events`, by column name. */
export interface EventRow {
  event_id: string;
  project_id: string;
  type: string;
  ts: number;
  client_ts: number;
  sent_at: number;
  received_at: number;
  session_id: string;
  anon_id: string;
  user_id: string | null;
  /** the user's segment at the event's time ('unknown' without one), from the segment cache */
  segment: string;
  url: string;
  path: string;
  referrer: string;
  title: string;
  viewport_w: number;
  viewport_h: number;
  screen_w: number;
  screen_h: number;
  lang: string;
  ip: string;
  country: string;
  region: string;
  city: string;
  user_agent: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device_type: string;
  is_bot: boolean;
  name: string;
  value: number | null;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  selector: string;
  element_tag: string;
  element_text: string;
  href: string;
  is_rage_click: boolean;
  is_dead_click: boolean;
  scroll_depth: number;
  error_message: string;
  error_type: string;
  error_stack: string;
  payload: string;
}

type Lifted = Pick<
  EventRow,
  | 'name'
  | 'value'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'selector'
  | 'element_tag'
  | 'element_text'
  | 'href'
  | 'is_rage_click'
  | 'is_dead_click'
  | 'scroll_depth'
  | 'error_message'
  | 'error_type'
  | 'error_stack'
>;

const NOTHING_LIFTED: Lifted = {
  name: '',
  value: null,
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  selector: '',
  element_tag: '',
  element_text: '',
  href: '',
  is_rage_click: false,
  is_dead_click: false,
  scroll_depth: 0,
  error_message: '',
  error_type: '',
  error_stack: '',
};

/** The typed columns lifted from the event's payload; the rest stays in `payload`. */
export function liftPayload(event: EnrichedEvent): Lifted {
  switch (event.type) {
    case 'page_view':
      return {
        ...NOTHING_LIFTED,
        utm_source: event.payload.utm_source ?? '',
        utm_medium: event.payload.utm_medium ?? '',
        utm_campaign: event.payload.utm_campaign ?? '',
      };
    case 'click':
      return {
        ...NOTHING_LIFTED,
        selector: event.payload.selector,
        element_tag: event.payload.tag,
        element_text: event.payload.text ?? '',
        href: event.payload.href ?? '',
        is_rage_click: event.payload.rage ?? false,
        is_dead_click: event.payload.dead ?? false,
      };
    case 'scroll':
      return { ...NOTHING_LIFTED, scroll_depth: event.payload.depth };
    case 'page_leave':
      return { ...NOTHING_LIFTED, scroll_depth: event.payload.max_scroll };
    case 'js_error':
      return {
        ...NOTHING_LIFTED,
        error_message: event.payload.message,
        error_type: event.payload.error_type ?? '',
        error_stack: event.payload.stack ?? '',
      };
    case 'web_vitals':
      return { ...NOTHING_LIFTED, name: event.payload.name, value: event.payload.value };
    case 'custom': {
      // A numeric `props.value` (an order's amount, say) is the event's value (custom_stats_1m).
      const value = event.payload.props?.value;
      return {
        ...NOTHING_LIFTED,
        name: event.payload.name,
        value: typeof value === 'number' && Number.isFinite(value) ? value : null,
      };
    }
  }
}

/** The `events` row for one validated enriched event of a user in `segment` at its time. */
export function toEventRow(event: EnrichedEvent, segment: string = UNKNOWN_SEGMENT): EventRow {
  return {
    event_id: event.event_id,
    project_id: event.project_id,
    type: event.type,
    ts: event.ts,
    client_ts: event.client_ts,
    sent_at: event.sent_at,
    received_at: event.received_at,
    session_id: event.session_id,
    anon_id: event.anon_id,
    user_id: event.user_id,
    segment,
    url: event.url,
    path: event.path,
    referrer: event.referrer,
    title: event.title,
    viewport_w: event.viewport_w,
    viewport_h: event.viewport_h,
    screen_w: event.screen_w,
    screen_h: event.screen_h,
    lang: event.lang,
    ip: event.ip,
    country: event.country,
    region: event.region,
    city: event.city,
    user_agent: event.user_agent,
    browser: event.browser,
    browser_version: event.browser_version,
    os: event.os,
    os_version: event.os_version,
    device_type: event.device_type,
    is_bot: event.is_bot,
    ...liftPayload(event),
    payload: JSON.stringify(event.payload),
  };
}
