/**
 * The session store for the one-pass processor: the live sessions a processor works on are
 * kept in its memory, the events of a batch are folded into them there (session-fold.ts), and
 * each session the batch touched is written to Redis once, all in one pipelined round trip,
 * with the ids it newly counted. A session not in memory is read from Redis when a batch first
 * needs it (one round trip for all of the batch's misses). The Redis keys are those of the
 * Lua store (session-scripts.ts), so the sweeper's claim and release work unchanged.
 *
 * Memory is a cache, Redis stays the truth: every write names the version it was folded from,
 * and a session that changed meanwhile in Redis (another processor after a rebalance, the
 * sweeper's claim) is answered `stale`, read again and folded again; the counted ids make that
 * exact (an event counted before changes nothing, so replays and client retries never count
 * twice). A finalised session (tombstone) is answered `closed` and dropped.
 */
import { sessionStoreError } from '../errors';
import {
  createRedisSessionStore,
  luaJson,
  sessionMember,
  wellFormed,
  type RedisSessionStoreOptions,
} from './redis-session-store';
import { flattenHash, foldSession, type SessionHash } from './session-fold';
import { execAll, loadScript, type BatchCommand } from './redis-batch';
import { sessionKeys } from './session-keys';
import { PUT_SCRIPT } from './session-scripts';
import type { ApplyOutcome, SessionEvent, SessionStore } from './session-store';
import { stateFromHash } from './session-state-codec';
import { createHash } from 'node:crypto';

export interface CachedSessionStoreOptions extends RedisSessionStoreOptions {
  /** Most sessions kept in memory (least recently touched go first); default 200 000. */
  maxCachedSessions?: number;
}

interface Cached {
  hash: SessionHash;
  counted: Set<string>;
}

const PUT_SHA = createHash('sha1').update(PUT_SCRIPT).digest('hex');
/** How often a batch re-reads and re-folds a session that keeps changing under it. */
const MAX_STALE_ROUNDS = 5;

/** Creates the cached Redis session store; `close()` closes the given connection. */
export function createCachedSessionStore(options: CachedSessionStoreOptions): SessionStore {
  const { redis, prefix } = options;
  const lua = createRedisSessionStore(options);
  const maxCached = options.maxCachedSessions ?? 200_000;
  const cache = new Map<string, Cached>();
  let scriptLoaded = false;

  const remember = (member: string, entry: Cached) => {
    cache.delete(member); // re-inserted last: Map order is the LRU order
    cache.set(member, entry);
    while (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
  };

  /** Reads the sessions of `members` from Redis; undefined for a finalised one. */
  async function load(members: readonly string[]): Promise<Map<string, Cached | undefined>> {
    const commands: BatchCommand[] = [];
    for (const m of members) {
      const keys = sessionKeys(prefix, m);
      commands.push(
        { args: ['hgetall', keys.state] },
        { args: ['smembers', keys.seen] },
        { args: ['exists', keys.closed] },
      );
    }
    const replies = await execAll(redis, commands);
    const out = new Map<string, Cached | undefined>();
    members.forEach((m, i) => {
      const [[e1, hash], [e2, seen], [e3, closed]] = [
        replies[i * 3] ?? [new Error('no reply'), null],
        replies[i * 3 + 1] ?? [new Error('no reply'), null],
        replies[i * 3 + 2] ?? [new Error('no reply'), null],
      ];
      const error = e1 ?? e2 ?? e3;
      if (error) throw error;
      out.set(
        m,
        closed === 1
          ? undefined
          : { hash: { ...(hash as SessionHash) }, counted: new Set(seen as string[]) },
      );
    });
    return out;
  }

  /** Writes each session once (one round trip); the reply per session. */
  async function put(
    writes: readonly { member: string; base: string; hash: SessionHash; added: string[] }[],
  ): Promise<string[][]> {
    if (!scriptLoaded) {
      await loadScript(redis, PUT_SCRIPT);
      scriptLoaded = true;
    }
    const commands: BatchCommand[] = [];
    for (const w of writes) {
      const fields: string[] = [];
      for (const [k, v] of Object.entries(w.hash)) {
        if (k === 'version') continue;
        // What Redis stores (cjson refuses lone surrogates), and so what memory keeps too.
        const text = wellFormed(v);
        w.hash[k] = text;
        fields.push(k, text);
      }
      const keys = sessionKeys(prefix, w.member);
      commands.push({
        lua: PUT_SCRIPT,
        args: [
          'evalsha',
          PUT_SHA,
          5,
          keys.state,
          keys.seen,
          keys.live,
          keys.fin,
          keys.closed,
          w.member,
          w.base,
          options.stateTtlSeconds,
          luaJson(fields),
          luaJson(w.added),
        ],
      });
    }
    const replies = await execAll(redis, commands);
    return replies.map(([error, reply]) => {
      if (error) {
        // Redis restarted and forgot the script: load it again on the next batch.
        if (String(error.message).includes('NOSCRIPT')) scriptLoaded = false;
        throw error;
      }
      return reply as string[];
    });
  }

  async function applyAll(events: readonly SessionEvent[]): Promise<ApplyOutcome[]> {
    const bySession = new Map<string, SessionEvent[]>();
    for (const event of events) {
      const member = sessionMember(event.project_id, event.session_id);
      const list = bySession.get(member);
      if (list) list.push(event);
      else bySession.set(member, [event]);
    }
    const outcomes: ApplyOutcome[] = [];
    let pending = [...bySession.keys()];
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === MAX_STALE_ROUNDS) {
        throw new Error(`${pending.length} sessions kept changing under this batch`);
      }
      const misses = pending.filter((m) => !cache.has(m));
      const loaded = misses.length > 0 ? await load(misses) : new Map<string, Cached | undefined>();
      const writes: { member: string; base: string; hash: SessionHash; added: string[] }[] = [];
      const unchanged: { member: string; entry: Cached }[] = [];
      for (const member of pending) {
        const list = bySession.get(member) as SessionEvent[];
        const entry = cache.get(member) ?? loaded.get(member);
        if (entry === undefined) {
          cache.delete(member);
          outcomes.push(closedOutcome(member, list.length));
          continue;
        }
        // Folded in place: a write Redis does not take (stale, closed, failed) drops the entry.
        const base = entry.hash.version ?? '';
        const added = foldSession(entry.hash, entry.counted, list);
        if (added.length === 0) {
          // Only copies of counted events: nothing to write, but the session may have been
          // finalised since (then its copies are late events, as the Lua store says).
          if (entry.hash.version !== undefined) unchanged.push({ member, entry });
          continue;
        }
        writes.push({ member, base, hash: entry.hash, added });
        remember(member, entry);
      }
      if (unchanged.length > 0) {
        const closed = await execAll(
          redis,
          unchanged.map(({ member }) => ({
            args: ['exists', sessionKeys(prefix, member).closed] as [string, string],
          })),
        );
        unchanged.forEach(({ member, entry }, i) => {
          const [error, reply] = closed[i] ?? [new Error('no reply'), null];
          if (error) throw error;
          if (reply === 1) {
            cache.delete(member);
            outcomes.push(closedOutcome(member, bySession.get(member)?.length ?? 0));
          } else {
            remember(member, entry);
            outcomes.push({
              kind: 'live',
              state: stateFromHash(flattenHash(entry.hash)),
              changed: false,
            });
          }
        });
      }
      const replies = writes.length > 0 ? await put(writes) : [];
      pending = [];
      writes.forEach((w, i) => {
        const reply = replies[i] ?? [];
        if (reply[0] === 'ok') {
          w.hash.version = reply[1] ?? '';
          outcomes.push({ kind: 'live', state: stateFromHash(flattenHash(w.hash)), changed: true });
        } else if (reply[0] === 'closed') {
          cache.delete(w.member);
          outcomes.push(closedOutcome(w.member, bySession.get(w.member)?.length ?? 0));
        } else {
          cache.delete(w.member); // stale: read it again and fold again
          pending.push(w.member);
        }
      });
    }
    return outcomes;
  }

  return {
    async apply(events) {
      if (events.length === 0) return [];
      try {
        return await applyAll(events);
      } catch (error) {
        // What Redis has is unknown after a failed round trip: read it again next time.
        cache.clear();
        throw sessionStoreError('apply session events', error);
      }
    },
    claimIdle: (idleMs, leaseMs, limit) => lua.claimIdle(idleMs, leaseMs, limit),
    release: (state) => lua.release(state),
    liveCount: () => lua.liveCount(),
    close: () => lua.close(),
  };
}

function closedOutcome(member: string, ignored: number): ApplyOutcome {
  const [projectId, sessionId] = JSON.parse(member) as [string, string];
  return { kind: 'closed', projectId, sessionId, ignored };
}
