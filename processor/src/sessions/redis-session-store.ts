/**
 * The session store on Redis: every update is one Lua script call per
 * session per batch (atomic per event, see session-scripts.ts), pipelined.
 */
import { createHash } from 'node:crypto';
import { sessionStoreError } from '../errors';
import { execAll, loadScript, type RedisClient } from './redis-batch';
import { SESSION_SHARDS, sessionKeys, shardPrefix } from './session-keys';
import { APPLY_SCRIPT, CLAIM_SCRIPT, RELEASE_SCRIPT } from './session-scripts';
import type { ApplyOutcome, SessionEvent, SessionState, SessionStore } from './session-store';
import { sessionFacts, stateFromHash } from './session-state-codec';

export interface RedisSessionStoreOptions {
  /** one Redis, or a Redis Cluster (every key of a session shares a hash slot: session-keys.ts) */
  redis: RedisClient;
  /** Key prefix, e.g. `gosight:`; tests use their own. */
  prefix: string;
  /** Live state expires this long after its last update if no sweeper ever finalises it. */
  stateTtlSeconds: number;
  /** How long a finalised session's tombstone keeps late copies of its events out. */
  tombstoneTtlSeconds: number;
}

interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
});

/** The member name of a session in the live / fin indexes (and inside its key names). */
export function sessionMember(projectId: string, sessionId: string): string {
  return JSON.stringify([projectId, sessionId]);
}

/** JSON.stringify writes a lone surrogate as a `\udXXX` escape (valid pairs stay as they are). */
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/**
 * The events argument of APPLY_SCRIPT: their facts as one JSON array. Redis's
 * cjson rejects an escaped lone surrogate, so strings carrying one are made
 * well-formed first (U+FFFD in its place, which is also what a UTF-8 argument
 * would have carried).
 */
export function packFacts(events: readonly SessionEvent[]): string {
  return luaJson(events.map(sessionFacts));
}

/** JSON of nested arrays of strings for a script's cjson: lone surrogates become U+FFFD. */
export function luaJson(value: readonly (string | readonly string[])[]): string {
  const json = JSON.stringify(value);
  if (!LONE_SURROGATE_ESCAPE.test(json)) return json;
  return JSON.stringify(
    value.map((item) => (typeof item === 'string' ? wellFormed(item) : item.map(wellFormed))),
  );
}

/** The string with every lone surrogate replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/** Creates the Redis session store; `close()` closes the given connection. */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const { redis, prefix } = options;
  const apply = script(APPLY_SCRIPT);
  const claim = script(CLAIM_SCRIPT);
  const release = script(RELEASE_SCRIPT);

  /** EVALSHA, loading the script first when Redis does not know it (e.g. after a restart). */
  async function run(s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return await redis.eval(s.lua, keys.length, ...keys, ...args);
    }
  }

  return {
    async apply(events) {
      const bySession = new Map<string, SessionEvent[]>();
      for (const event of events) {
        const member = sessionMember(event.project_id, event.session_id);
        const list = bySession.get(member);
        if (list) list.push(event);
        else bySession.set(member, [event]);
      }
      if (bySession.size === 0) return [];
      try {
        await loadScript(redis, apply.lua);
        const commands = [...bySession].map(([member, list]) => {
          const first = list[0] as SessionEvent;
          const keys = sessionKeys(prefix, member);
          return {
            lua: apply.lua,
            args: [
              'evalsha',
              apply.sha,
              5,
              keys.state,
              keys.seen,
              keys.live,
              keys.fin,
              keys.closed,
              member,
              first.project_id,
              first.session_id,
              options.stateTtlSeconds,
              packFacts(list),
            ] as [string, ...(string | number)[]],
          };
        });
        const results = await execAll(redis, commands);
        const outcomes: ApplyOutcome[] = [];
        let index = 0;
        for (const [member, list] of bySession) {
          const [error, reply] = results[index++] ?? [new Error('no reply'), null];
          if (error) throw error;
          const outcome = toOutcome(member, list, reply);
          if (outcome) outcomes.push(outcome);
        }
        return outcomes;
      } catch (error) {
        throw sessionStoreError('apply session events', error);
      }
    },

    async claimIdle(idleMs, leaseMs, limit) {
      try {
        const claimed: SessionState[] = [];
        // Shard by shard (each one hash slot), until `limit` sessions are claimed.
        for (let shard = 0; shard < SESSION_SHARDS && claimed.length < limit; shard++) {
          const p = shardPrefix(prefix, shard);
          const reply = (await run(
            claim,
            [`${p}live`, `${p}fin`],
            [idleMs, leaseMs, limit - claimed.length, p],
          )) as string[][];
          for (const entry of reply) claimed.push(stateFromHash(entry.slice(1)));
        }
        return claimed;
      } catch (error) {
        throw sessionStoreError('claim idle sessions', error);
      }
    },

    async release(state: SessionState) {
      const member = sessionMember(state.projectId, state.sessionId);
      const keys = sessionKeys(prefix, member);
      try {
        const reply = await run(
          release,
          [keys.state, keys.seen, keys.fin, keys.closed],
          [member, String(state.version), options.tombstoneTtlSeconds],
        );
        return reply === 1;
      } catch (error) {
        throw sessionStoreError('release finalised session', error);
      }
    },

    async liveCount() {
      try {
        const cards = await execAll(
          redis,
          Array.from({ length: SESSION_SHARDS }, (_, shard) => ({
            args: ['zcard', `${shardPrefix(prefix, shard)}live`] as [string, string],
          })),
        );
        let total = 0;
        for (const [error, n] of cards) {
          if (error) throw error;
          total += Number(n);
        }
        return total;
      } catch (error) {
        throw sessionStoreError('count live sessions', error);
      }
    },

    async close() {
      redis.disconnect();
      await Promise.resolve();
    },
  };
}

function toOutcome(member: string, list: SessionEvent[], reply: unknown): ApplyOutcome | null {
  const parts = reply as string[];
  if (parts[0] === 'closed') {
    const [projectId, sessionId] = JSON.parse(member) as [string, string];
    return { kind: 'closed', projectId, sessionId, ignored: list.length };
  }
  const fields = parts.slice(2);
  if (fields.length === 0) return null;
  return { kind: 'live', state: stateFromHash(fields), changed: parts[1] === '1' };
}
