/** A tiny JSON key-value store: localStorage, or memory only (cookieless mode). */
export interface Store {
  _get<T>(key: string): T | undefined;
  _set(key: string, value: unknown): void;
}

/**
 * Creates a store; `memory` keeps everything in this page only. Uses Web Storage's
 * named properties (localStorage[key]), which read and write like getItem/setItem.
 * Storage faults (quota, disabled, blocked) are swallowed.
 */
export const createStore = (memory: boolean): Store => {
  let s: Record<string, string | undefined> = {};
  try {
    if (!memory) s = localStorage;
  } catch {
    // storage blocked (sandboxed frame): stay in memory
  }
  return {
    _get<T>(key: string) {
      try {
        return JSON.parse(s[key]!) as T;
      } catch {
        return undefined;
      }
    },
    _set(key, value) {
      try {
        s[key] = JSON.stringify(value);
      } catch {
        // quota exceeded
      }
    },
  };
};
