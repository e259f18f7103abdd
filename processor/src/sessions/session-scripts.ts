/**
 * The Lua scripts behind the Redis session store (see session-store.ts for
 * the semantics). Redis runs each script atomically. Key layout, under the
 * configured prefix and the session's shard `{n}` (session-keys.ts), with
 * `m` = the session's member name:
 *   {n}s:<m>      hash  the session state
 *   {n}seen:<m>   set   event ids already counted (same TTL as the state)
 *   {n}live       zset  m → last activity (Redis clock, ms): the shard's idle index
 *   {n}fin        zset  m → claim time: sessions being finalised (a lease)
 *   {n}closed:<m> string  tombstone of a finalised session (its final version)
 * `{n}` is a hash tag: every key a script touches is in one hash slot, so the
 * scripts also run on a Redis Cluster. The claim script derives state keys
 * from member names within its shard.
 */

/** The fields of each event passed to APPLY_SCRIPT (as one JSON array per event), in this order. */
export const APPLY_FIELDS = [
  'id',
  'ts',
  'type',
  'url',
  'path',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'scroll',
  'rage',
  'dead',
  'anon_id',
  'user_id',
  'has_user',
  'browser',
  'os',
  'device_type',
  'country',
] as const;

const NUM = `local function num(v) return string.format('%.0f', v) end`;

/**
 * KEYS: state, seen, live, fin, closed. ARGV: member, project, session,
 * state TTL seconds, events: a JSON array with one array of APPLY_FIELDS
 * (strings) per event. One argument instead of one per field: the client
 * spends its CPU per argument, and a batch carries tens of thousands of
 * events (the strings must be well-formed UTF-16: cjson refuses a lone
 * surrogate escape).
 * Returns {'closed', ignored} or {'live', changed 0|1, k1, v1, k2, v2, ...}.
 */
export const APPLY_SCRIPT = `
${NUM}
-- each event: {${APPLY_FIELDS.join(', ')}}
local events = cjson.decode(ARGV[5])
local n = #events
if redis.call('EXISTS', KEYS[5]) == 1 then return {'closed', n} end
local raw = redis.call('HGETALL', KEYS[1])
local s = {}
for i = 1, #raw, 2 do s[raw[i]] = raw[i + 1] end
local fresh = s.version == nil
local changed = false
local function earlier(ts, id, ts2, id2)
  return ts2 == nil or ts < ts2 or (ts == ts2 and id < id2)
end
for i = 1, n do
  local e = events[i]
  local id = e[1]
  if redis.call('SADD', KEYS[2], id) == 1 then
    changed = true
    local ts = tonumber(e[2])
    local typ = e[3]
    local start = tonumber(s.start_ts)
    if earlier(ts, id, start, s.start_id) then
      s.start_ts = num(ts); s.start_id = id
      s.entry_url = e[4]; s.entry_path = e[5]
      s.anon = e[13]
      s.browser = e[16]; s.os = e[17]; s.device = e[18]; s.country = e[19]
    end
    local fin = tonumber(s.end_ts)
    if fin == nil or ts > fin or (ts == fin and id > s.end_id) then
      s.end_ts = num(ts); s.end_id = id
      s.exit_url = e[4]; s.exit_path = e[5]
    end
    -- First touch: the earliest page view (any event until there is one).
    local rank = (typ == 'page_view') and 0 or 1
    local trank = tonumber(s.touch_rank)
    local tts = tonumber(s.touch_ts)
    if trank == nil or rank < trank or (rank == trank and earlier(ts, id, tts, s.touch_id)) then
      s.touch_rank = tostring(rank); s.touch_ts = num(ts); s.touch_id = id
      s.referrer = e[6]
      s.utm_source = e[7]; s.utm_medium = e[8]; s.utm_campaign = e[9]
    end
    if e[15] == '1' then
      local uts = tonumber(s.user_ts)
      if uts == nil or ts >= uts then s.user = e[14]; s.user_ts = num(ts) end
    end
    s.events = tostring((tonumber(s.events) or 0) + 1)
    if typ == 'page_view' then s.pages = tostring((tonumber(s.pages) or 0) + 1) end
    if typ == 'click' then s.clicks = tostring((tonumber(s.clicks) or 0) + 1) end
    if typ == 'js_error' then s.errors = tostring((tonumber(s.errors) or 0) + 1) end
    local scroll = tonumber(e[10])
    if scroll > (tonumber(s.scroll) or 0) then s.scroll = tostring(scroll) end
    if e[11] == '1' then s.rage = '1' end
    if e[12] == '1' then s.dead = '1' end
  end
end
if changed then
  local t = redis.call('TIME')
  local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local v = math.max((tonumber(s.version) or 0) + 1, nowUs)
  s.version = num(v)
  if fresh then s.project = ARGV[2]; s.session = ARGV[3] end
  local flat = {}
  for k, val in pairs(s) do flat[#flat + 1] = k; flat[#flat + 1] = val end
  redis.call('HSET', KEYS[1], unpack(flat))
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
  redis.call('ZADD', KEYS[3], math.floor(nowUs / 1000), ARGV[1])
  -- An event for a session being finalised reopens it; release() then sees the new version.
  redis.call('ZREM', KEYS[4], ARGV[1])
elseif fresh then
  return {'live', '0'}
end
local out = {'live', changed and '1' or '0'}
for k, val in pairs(s) do out[#out + 1] = k; out[#out + 1] = val end
return out
`;

/**
 * KEYS: live, fin. ARGV: idle ms, lease ms, limit, key prefix.
 * Moves idle sessions from live to fin (and re-leases stale claims), raises
 * their version, and returns {{member, k1, v1, ...}, ...}.
 */
export const CLAIM_SCRIPT = `
${NUM}
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nowMs = math.floor(nowUs / 1000)
local limit = tonumber(ARGV[3])
local members = {}
local idle = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', num(nowMs - tonumber(ARGV[1])), 'LIMIT', 0, limit)
for _, m in ipairs(idle) do members[#members + 1] = m end
if #members < limit then
  local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', num(nowMs - tonumber(ARGV[2])), 'LIMIT', 0, limit - #members)
  for _, m in ipairs(stale) do members[#members + 1] = m end
end
local out = {}
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[1], m)
  local key = ARGV[4] .. 's:' .. m
  local raw = redis.call('HGETALL', key)
  if #raw == 0 then
    redis.call('ZREM', KEYS[2], m)
  else
    redis.call('ZADD', KEYS[2], nowMs, m)
    local s = {}
    for i = 1, #raw, 2 do s[raw[i]] = raw[i + 1] end
    local v = math.max((tonumber(s.version) or 0) + 1, nowUs)
    redis.call('HSET', key, 'version', num(v))
    s.version = num(v)
    local entry = {m}
    for k, val in pairs(s) do entry[#entry + 1] = k; entry[#entry + 1] = val end
    out[#out + 1] = entry
  end
end
return out
`;

/**
 * KEYS: state, seen, fin, closed. ARGV: member, claimed version, tombstone TTL seconds.
 * Returns 1 when the session was forgotten, 0 when it changed since the claim.
 */
export const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[3])
return 1
`;

/**
 * KEYS: state, seen, live, fin, closed. ARGV: member, the version the writer's state was
 * folded from ('' for a new session), state TTL seconds, the state's fields as one JSON array
 * `[k1, v1, k2, v2, ...]` (without `version`), the newly counted event ids as one JSON array.
 * Writes the state folded in the processor (session-fold.ts) unless the session was finalised
 * ({'closed'}) or changed since the writer read it ({'stale'}: the writer reloads and folds
 * again). Returns {'ok', version}.
 */
export const PUT_SCRIPT = `
${NUM}
if redis.call('EXISTS', KEYS[5]) == 1 then return {'closed'} end
local current = redis.call('HGET', KEYS[1], 'version')
if (current or '') ~= ARGV[2] then return {'stale'} end
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = num(math.max((tonumber(current) or 0) + 1, nowUs))
local fields = cjson.decode(ARGV[4])
fields[#fields + 1] = 'version'
fields[#fields + 1] = v
redis.call('HSET', KEYS[1], unpack(fields))
local ids = cjson.decode(ARGV[5])
for i = 1, #ids, 5000 do
  redis.call('SADD', KEYS[2], unpack(ids, i, math.min(i + 4999, #ids)))
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], math.floor(nowUs / 1000), ARGV[1])
-- An event for a session being finalised reopens it; release() then sees the new version.
redis.call('ZREM', KEYS[4], ARGV[1])
return {'ok', v}
`;
