/**
 * Step `enrich-event`: the wire event plus what the server knows — arrival
 * time, skew-corrected event time, stored IP, GeoIP, user agent, bot flag,
 * the day's visitor id of a cookieless batch —
 * in the enriched-event shape (schema/src/contract/enriched.ts).
 */
import {
  ENRICHED_SCHEMA_VERSION,
  ok,
  pathOf,
  type EnrichedEvent,
  type StepResult,
  type ValidWireEvent,
} from '@gosight/schema';
import type { BatchContext } from './batch-context';
import { correctedTimestamp } from '../enrich/clock-skew';

export const ENRICH_EVENT_STEP = 'enrich-event';

/** Creates the step; it never refuses an event that passed validation. */
export function createEnrichEventStep() {
  return function enrichEvent(
    event: ValidWireEvent,
    batch: BatchContext,
  ): StepResult<EnrichedEvent> {
    const { geo, userAgent } = batch;
    const enriched = {
      v: ENRICHED_SCHEMA_VERSION,
      event_id: event.id,
      type: event.type,
      project_id: batch.project.key,
      session_id: event.session_id,
      anon_id: batch.visitorId ?? event.anon_id,
      user_id: event.user_id ?? null,
      ts: correctedTimestamp(event.ts, batch.sentAt, batch.receivedAt),
      client_ts: event.ts,
      sent_at: batch.sentAt,
      received_at: batch.receivedAt,
      url: event.url,
      path: pathOf(event.url),
      referrer: event.referrer ?? '',
      title: event.title ?? '',
      viewport_w: event.viewport?.w ?? 0,
      viewport_h: event.viewport?.h ?? 0,
      screen_w: event.screen?.w ?? 0,
      screen_h: event.screen?.h ?? 0,
      lang: event.lang ?? '',
      ip: batch.ip,
      country: geo.country,
      region: geo.region,
      city: geo.city,
      user_agent: userAgent.user_agent,
      browser: userAgent.browser,
      browser_version: userAgent.browser_version,
      os: userAgent.os,
      os_version: userAgent.os_version,
      device_type: userAgent.device_type,
      is_bot: userAgent.is_bot,
      payload: event.payload,
    } as EnrichedEvent;
    return ok(enriched);
  };
}
