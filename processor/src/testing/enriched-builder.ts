/**
 * Builds enriched events for tests and benchmarks: each passes
 * checkEnrichedEvent, and a session's events share ids, device and geo.
 */
import { randomUUID } from 'node:crypto';
import { ENRICHED_SCHEMA_VERSION, pathOf, type EnrichedEvent } from '@gosight/schema';

type Type = EnrichedEvent['type'];
type PayloadOf<T extends Type> = Extract<EnrichedEvent, { type: T }>['payload'];

export interface SessionContext {
  projectId: string;
  sessionId: string;
  anonId: string;
  userId?: string | null;
  browser?: string;
  os?: string;
  deviceType?: string;
  country?: string;
}

/** A new session context with random ids. */
export function newSession(
  projectId = 'pk_test',
  overrides: Partial<SessionContext> = {},
): SessionContext {
  const id = randomUUID().replaceAll('-', '').slice(0, 20);
  return { projectId, sessionId: `s_${id}`, anonId: `a_${id.slice(0, 10)}`, ...overrides };
}

/** One enriched event of `type` in `session`, at `ts`, on `url`. */
export function enrichedEvent<T extends Type>(
  session: SessionContext,
  type: T,
  payload: PayloadOf<T>,
  options: { ts: number; url: string; referrer?: string; eventId?: string },
): EnrichedEvent {
  const event = {
    v: ENRICHED_SCHEMA_VERSION,
    event_id: options.eventId ?? randomUUID(),
    project_id: session.projectId,
    session_id: session.sessionId,
    anon_id: session.anonId,
    user_id: session.userId ?? null,
    ts: options.ts,
    client_ts: options.ts - 7,
    sent_at: options.ts + 500,
    received_at: options.ts + 520,
    url: options.url,
    path: pathOf(options.url),
    referrer: options.referrer ?? '',
    title: 'Example shop',
    viewport_w: 1280,
    viewport_h: 720,
    screen_w: 1920,
    screen_h: 1080,
    lang: 'en-GB',
    ip: '203.0.113.0',
    country: session.country ?? 'GB',
    region: 'England',
    city: 'London',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0',
    browser: session.browser ?? 'Chrome',
    browser_version: '126',
    os: session.os ?? 'Linux',
    os_version: '',
    device_type: session.deviceType ?? 'desktop',
    is_bot: false,
    type,
    payload,
  };
  return event as EnrichedEvent;
}

const PAGES = ['/', '/products', '/products/42', '/cart', '/checkout', '/about', '/blog/launch'];

/**
 * A realistic session of `count` events: page views with clicks, scrolls,
 * vitals, the odd error and custom event, page leaves; one second apart.
 */
export function realisticSession(
  session: SessionContext,
  count: number,
  startTs: number,
): EnrichedEvent[] {
  const events: EnrichedEvent[] = [];
  let page = `https://shop.example.com${PAGES[0] ?? '/'}`;
  for (let i = 0; i < count; i++) {
    const ts = startTs + i * 1000;
    const r = (i * 7919 + session.sessionId.length * 31) % 100;
    if (i === 0 || r < 15) {
      page = `https://shop.example.com${PAGES[(i + r) % PAGES.length] ?? '/'}`;
      events.push(
        enrichedEvent(
          session,
          'page_view',
          i === 0
            ? { nav: 'load', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring' }
            : { nav: 'push' },
          {
            ts,
            url: page,
            referrer: i === 0 ? 'https://www.google.com/' : '',
          },
        ),
      );
    } else if (r < 55) {
      events.push(
        enrichedEvent(
          session,
          'click',
          {
            x: 100 + r,
            y: 400 + i,
            vx: 100 + r,
            vy: 300,
            selector: 'main > button.buy',
            tag: 'button',
            text: 'Buy',
            rage: r === 20,
            dead: r === 21,
          },
          { ts, url: page },
        ),
      );
    } else if (r < 75) {
      events.push(enrichedEvent(session, 'scroll', { depth: Math.min(100, r) }, { ts, url: page }));
    } else if (r < 88) {
      events.push(
        enrichedEvent(
          session,
          'web_vitals',
          { name: 'LCP', value: 1200 + r * 10, rating: 'good' },
          { ts, url: page },
        ),
      );
    } else if (r < 92) {
      events.push(
        enrichedEvent(
          session,
          'js_error',
          {
            message: 'TypeError: x is undefined',
            error_type: 'TypeError',
            stack: 'at buy (app.js:10:5)',
          },
          { ts, url: page },
        ),
      );
    } else if (r < 96) {
      events.push(
        enrichedEvent(
          session,
          'custom',
          { name: 'add_to_cart', props: { sku: 'mug-42', price: 12.5 } },
          { ts, url: page },
        ),
      );
    } else {
      events.push(
        enrichedEvent(
          session,
          'page_leave',
          { time_on_page_ms: 15_000, max_scroll: r },
          { ts, url: page },
        ),
      );
    }
  }
  return events;
}
