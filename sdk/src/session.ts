import type { Store } from './storage';
import { uuid } from './uuid';

/** Inactivity after which a new session starts. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

/** The visitor's ids: a persistent anonymous id and a session id that rotates after 30 idle minutes. */
export interface Ids {
  _anon: string;
  /** Returns the current session id and records activity now. */
  _session(): string;
}

/** Loads or creates the ids in the store. */
export const createIds = (st: Store): Ids => {
  const anon = st._get<string>('gs_a') || uuid();
  st._set('gs_a', anon);
  return {
    _anon: anon,
    _session() {
      const now = Date.now();
      const s = st._get<[string, number]>('gs_s');
      const id = s && now - s[1] < SESSION_IDLE_MS ? s[0] : uuid();
      st._set('gs_s', [id, now]);
      return id;
    },
  };
};
