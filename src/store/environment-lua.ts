/**
 * Lua scripts for environment locks and freezes. Each writes its change and
 * the matching audit events together, so neither exists without the other.
 * Every script takes its audit streams as its last KEYS and, in the same
 * order, the model each stream's event names as its last ARGV.
 */

/**
 * Appends one event to each audit stream from KEYS[first] on. The event in
 * KEYS[first + i] names the model ARGV[models + i], so the global stream may
 * carry an empty model for an event about a whole environment. Streams are
 * capped near 100,000 entries, as the promotion scripts cap them.
 */
const AUDIT_STREAMS = `
local function audit_streams(first, models, fields)
  for i = first, #KEYS do
    local entry = {'model', ARGV[models + i - first]}
    for _, value in ipairs(fields) do table.insert(entry, value) end
    redis.call('XADD', KEYS[i], 'MAXLEN', '~', 100000, '*', unpack(entry))
  end
end

local function event(environment, action, actor, reason, at, extra)
  local fields = {
    'promotion', '', 'version', '', 'environment', environment,
    'action', action, 'from', '', 'to', '', 'actor', actor,
    'reason', reason, 'at', at, 'rev', ''
  }
  for _, value in ipairs(extra) do table.insert(fields, value) end
  return fields
end
`;

/**
 * Takes an environment's lock, or extends it when its owner asks again.
 * KEYS: lock hash, lock index hash, audit streams.
 * ARGV: environment, new token, owner, reason, acquired at (ISO), expires at
 * (ISO), expires at (ms), channel, then the streams' models.
 * Returns {"lock" or "lock_extended", token} or {"held", owner, reason,
 * acquired at, expires at, token} when someone else holds it.
 */
export const ACQUIRE_LOCK = `${AUDIT_STREAMS}
local current = redis.call('HMGET', KEYS[1], 'owner', 'reason', 'acquiredAt', 'expiresAt', 'token')
if current[1] and current[1] ~= ARGV[3] then
  return {'held', current[1], current[2], current[3], current[4], current[5]}
end

local action = 'lock'
local token = ARGV[2]
if current[1] then
  action = 'lock_extended'
  token = current[5]
  redis.call('HSET', KEYS[1], 'reason', ARGV[4], 'expiresAt', ARGV[6], 'channel', ARGV[8])
else
  redis.call('HSET', KEYS[1], 'environment', ARGV[1], 'owner', ARGV[3],
    'reason', ARGV[4], 'acquiredAt', ARGV[5], 'expiresAt', ARGV[6],
    'token', ARGV[2], 'channel', ARGV[8])
end
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
redis.call('HSET', KEYS[2], ARGV[1],
  cjson.encode({owner = ARGV[3], reason = ARGV[4], channel = ARGV[8]}))

audit_streams(3, 9, event(ARGV[1], action, ARGV[3], ARGV[4], ARGV[5], {'until', ARGV[6]}))
return {action, token}
`;

/**
 * Releases a lock only when it still carries the caller's token, so a
 * holder whose lock expired and was taken by someone else removes nothing.
 * KEYS: lock hash, lock index hash, audit streams.
 * ARGV: environment, token, actor, time (ISO), then the streams' models.
 * Returns {"released", owner}, {"stale", current owner} or {"missing"}.
 */
export const RELEASE_LOCK = `${AUDIT_STREAMS}
local current = redis.call('HMGET', KEYS[1], 'token', 'owner', 'reason')
if not current[1] then return {'missing'} end
if current[1] ~= ARGV[2] then return {'stale', current[2]} end

redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
audit_streams(3, 5, event(ARGV[1], 'unlock', ARGV[3], current[3], ARGV[4], {'holder', current[2]}))
return {'released', current[2]}
`;

/**
 * Records once that a lock ran out: the first caller to find the lock gone
 * but still indexed removes it from the index and writes the audit event.
 * KEYS: lock hash, lock index hash, audit streams.
 * ARGV: environment, time (ISO), then the streams' models.
 * Returns "held", "expired" or "gone".
 */
export const SWEEP_LOCK = `${AUDIT_STREAMS}
if redis.call('EXISTS', KEYS[1]) == 1 then return 'held' end
local indexed = redis.call('HGET', KEYS[2], ARGV[1])
if not indexed then return 'gone' end

redis.call('HDEL', KEYS[2], ARGV[1])
local held = cjson.decode(indexed)
audit_streams(3, 3, event(ARGV[1], 'lock_expired', 'gantry', held.reason or '', ARGV[2], {'holder', held.owner or ''}))
return 'expired'
`;

/**
 * Freezes an environment until a time, replacing any freeze set by command.
 * KEYS: freeze hash, audit streams.
 * ARGV: environment, reason, starts at (ISO), ends at (ISO), ends at (ms),
 * user, then the streams' models.
 * Returns "frozen", or "replaced" when a freeze was already set.
 */
export const SET_FREEZE = `${AUDIT_STREAMS}
local replaced = redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'environment', ARGV[1], 'reason', ARGV[2],
  'startsAt', ARGV[3], 'endsAt', ARGV[4], 'by', ARGV[6])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])

audit_streams(2, 7, event(ARGV[1], 'freeze', ARGV[6], ARGV[2], ARGV[3], {'until', ARGV[4]}))
if replaced == 1 then return 'replaced' end
return 'frozen'
`;

/**
 * Lifts the freeze set by command on an environment.
 * KEYS: freeze hash, audit streams.
 * ARGV: environment, user, time (ISO), then the streams' models.
 * Returns {"cleared", reason, ends at, user who froze} or {"none"}.
 */
export const CLEAR_FREEZE = `${AUDIT_STREAMS}
local current = redis.call('HMGET', KEYS[1], 'reason', 'endsAt', 'by')
if not current[1] then return {'none'} end

redis.call('DEL', KEYS[1])
audit_streams(2, 4, event(ARGV[1], 'unfreeze', ARGV[2], current[1], ARGV[3], {'until', current[2]}))
return {'cleared', current[1], current[2], current[3]}
`;

/**
 * Records once per promotion and user that a promotion went ahead during a
 * freeze, so a repeated click writes one event.
 * KEYS: once key, audit streams.
 * ARGV: environment, promotion id, version, user, reason, time (ISO), once
 * key TTL in seconds, then the streams' models.
 * Returns "recorded" or "duplicate".
 */
export const RECORD_FREEZE_BREAK = `${AUDIT_STREAMS}
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[7])) then
  return 'duplicate'
end

local fields = event(ARGV[1], 'freeze_break', ARGV[4], ARGV[5], ARGV[6], {})
fields[2] = ARGV[2]
fields[4] = ARGV[3]
audit_streams(2, 8, fields)
return 'recorded'
`;
