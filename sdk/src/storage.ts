import { safe } from './safe';

/** A tiny JSON key-value store: localStorage, or this tab's sessionStorage (cookieless mode). */
export interface Store {
  /** The stored value; 0 or undefined when absent or unreadable. */
  _get<T>(key: string): T | 0 | undefined;
  _set(key: string, value: unknown): void;
}

/**
 * Creates a store; `tab` keeps everything in this tab only (sessionStorage: gone when
 * the tab closes, never shared with other tabs). Falls back to memory. Uses Web Storage's
 * named properties (localStorage[key]), which read and write like getItem/setItem.
 * Storage faults (quota, disabled, blocked, malformed JSON) are swallowed.
 */
export const createStore = (tab: boolean): Store => {
  let s: Record<string, string | undefined> = {};
  try {
    s = tab ? sessionStorage : localStorage;
  } catch {
    // storage blocked (sandboxed frame): stay in memory
  }
  return {
    // an absent key parses as 0
    _get: safe((key: string) => JSON.parse(s[key] || '0') as never),
    _set: safe((key: string, value: unknown) => {
      s[key] = JSON.stringify(value);
    }),
  };
};
