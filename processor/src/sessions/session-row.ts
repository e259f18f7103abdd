/** Maps a session state onto the columns of `sessions` (schema/migrations/0002_sessions.sql). */
import type { SessionState } from './session-store';

/** One row of `sessions` as sent with JSONEachRow (times as epoch ms). */
export interface SessionRow {
  project_id: string;
  session_id: string;
  user_id: string | null;
  anon_id: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  entry_url: string;
  entry_path: string;
  exit_url: string;
  exit_path: string;
  page_count: number;
  event_count: number;
  click_count: number;
  error_count: number;
  max_scroll_depth: number;
  has_error: boolean;
  has_rage_click: boolean;
  has_dead_click: boolean;
  is_bounce: boolean;
  browser: string;
  os: string;
  device_type: string;
  country: string;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  is_live: boolean;
  version: number;
}

/**
 * The `sessions` row for a state. A bounce is a session of exactly one page
 * view and no click. `version` is the store's per-session version, which
 * every mutation raises, so the newest state wins in ReplacingMergeTree.
 */
export function toSessionRow(state: SessionState, live: boolean): SessionRow {
  return {
    project_id: state.projectId,
    session_id: state.sessionId,
    user_id: state.userId,
    anon_id: state.anonId,
    started_at: state.startedAt,
    ended_at: state.endedAt,
    duration_ms: Math.max(0, state.endedAt - state.startedAt),
    entry_url: state.entryUrl,
    entry_path: state.entryPath,
    exit_url: state.exitUrl,
    exit_path: state.exitPath,
    page_count: state.pageCount,
    event_count: state.eventCount,
    click_count: state.clickCount,
    error_count: state.errorCount,
    max_scroll_depth: state.maxScrollDepth,
    has_error: state.errorCount > 0,
    has_rage_click: state.hasRageClick,
    has_dead_click: state.hasDeadClick,
    is_bounce: state.pageCount === 1 && state.clickCount === 0,
    browser: state.browser,
    os: state.os,
    device_type: state.deviceType,
    country: state.country,
    referrer: state.referrer,
    utm_source: state.utmSource,
    utm_medium: state.utmMedium,
    utm_campaign: state.utmCampaign,
    is_live: live,
    version: state.version,
  };
}
