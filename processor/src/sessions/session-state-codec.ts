/**
 * Converts between the processor's types and the flat strings the session
 * scripts read and write (see session-scripts.ts for the field order).
 */
import type { SessionEvent, SessionState } from './session-store';

/** The APPLY_FIELDS of one event, in order, as strings. */
export function sessionFacts(event: SessionEvent): string[] {
  let utmSource = '';
  let utmMedium = '';
  let utmCampaign = '';
  let scroll = 0;
  let rage = false;
  let dead = false;
  switch (event.type) {
    case 'page_view':
      utmSource = event.payload.utm_source ?? '';
      utmMedium = event.payload.utm_medium ?? '';
      utmCampaign = event.payload.utm_campaign ?? '';
      break;
    case 'click':
      rage = event.payload.rage ?? false;
      dead = event.payload.dead ?? false;
      break;
    case 'scroll':
      scroll = event.payload.depth;
      break;
    case 'page_leave':
      scroll = event.payload.max_scroll;
      break;
    default:
      break;
  }
  return [
    event.event_id,
    String(event.ts),
    event.type,
    event.url,
    event.path,
    event.referrer,
    utmSource,
    utmMedium,
    utmCampaign,
    String(scroll),
    rage ? '1' : '0',
    dead ? '1' : '0',
    event.anon_id,
    event.user_id ?? '',
    event.user_id === null ? '0' : '1',
    event.browser,
    event.os,
    event.device_type,
    event.country,
  ];
}

/** A session state from the script's flat `k1, v1, k2, v2, ...` reply. */
export function stateFromHash(flat: readonly string[]): SessionState {
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i] as string, flat[i + 1] as string);
  const str = (k: string) => h.get(k) ?? '';
  const int = (k: string) => Number(h.get(k) ?? 0);
  return {
    projectId: str('project'),
    sessionId: str('session'),
    anonId: str('anon'),
    userId: h.has('user') ? str('user') : null,
    startedAt: int('start_ts'),
    endedAt: int('end_ts'),
    entryUrl: str('entry_url'),
    entryPath: str('entry_path'),
    exitUrl: str('exit_url'),
    exitPath: str('exit_path'),
    eventCount: int('events'),
    pageCount: int('pages'),
    clickCount: int('clicks'),
    errorCount: int('errors'),
    maxScrollDepth: int('scroll'),
    hasRageClick: h.get('rage') === '1',
    hasDeadClick: h.get('dead') === '1',
    referrer: str('referrer'),
    utmSource: str('utm_source'),
    utmMedium: str('utm_medium'),
    utmCampaign: str('utm_campaign'),
    browser: str('browser'),
    os: str('os'),
    deviceType: str('device'),
    country: str('country'),
    version: int('version'),
  };
}
