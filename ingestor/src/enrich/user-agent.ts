/**
 * User-agent parsing with ua-parser-js 1.x (MIT; 2.x is AGPL and must not be
 * used) and bot detection with isbot. The UA is capped at 512 characters
 * before parsing; results are cached (LRU) since a site sees few distinct UAs.
 */
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import { LruCache } from './lru-cache';

/** Longest user agent kept and parsed. */
export const MAX_USER_AGENT = 512;
const MAX_FIELD = 64;

/** What the enriched event says about the client software. */
export interface UserAgentInfo {
  readonly user_agent: string;
  readonly browser: string;
  readonly browser_version: string;
  readonly os: string;
  readonly os_version: string;
  /** desktop | mobile | tablet | bot | other */
  readonly device_type: string;
  readonly is_bot: boolean;
}

/** Parses user-agent strings into {@link UserAgentInfo}. */
export interface UserAgentParser {
  /** Parses `ua` (undefined = header missing); results are cached. */
  parse(ua: string | undefined): UserAgentInfo;
}

/** Creates a parser with an LRU cache of `cacheSize` entries. */
export function createUserAgentParser(options: { cacheSize: number }): UserAgentParser {
  const cache = new LruCache<string, UserAgentInfo>(options.cacheSize);
  return {
    parse(ua) {
      const capped = (ua ?? '').slice(0, MAX_USER_AGENT);
      const cached = cache.get(capped);
      if (cached) return cached;
      const info = parseUncached(capped);
      cache.set(capped, info);
      return info;
    },
  };
}

function parseUncached(ua: string): UserAgentInfo {
  const result = new UAParser(ua).getResult();
  const bot = ua === '' || isbot(ua);
  return Object.freeze({
    user_agent: ua,
    browser: cap(result.browser.name),
    browser_version: cap(result.browser.version),
    os: cap(result.os.name),
    os_version: cap(result.os.version),
    device_type: bot ? 'bot' : deviceType(result.device.type, result.os.name),
    is_bot: bot,
  });
}

function deviceType(type: string | undefined, os: string | undefined): string {
  if (type === 'mobile' || type === 'tablet') return type;
  if (type === undefined && os !== undefined) return 'desktop';
  return 'other';
}

function cap(value: string | undefined): string {
  return value === undefined ? '' : value.slice(0, MAX_FIELD);
}
