/**
 * Lua scripts for promotion state. Each runs atomically in Redis, so a state
 * change and its audit event are written together or not at all.
 */

/**
 * Appends one audit event to the global and the per-model stream.
 * Streams are capped near 100,000 entries (approximate trimming).
 */
export const APPEND_AUDIT = `
local function audit(all_key, model_key, fields)
  redis.call('XADD', all_key, 'MAXLEN', '~', 100000, '*', unpack(fields))
  redis.call('XADD', model_key, 'MAXLEN', '~', 100000, '*', unpack(fields))
end
`;

/**
 * Moves a promotion from one of the expected statuses to a new one.
 * KEYS: promotion hash, global audit stream, model audit stream.
 * ARGV: expected statuses (comma-separated), new status, actor, time,
 * reason, then field/value pairs to set with the move.
 * Returns {"ok", rev} or {"conflict", current status} or {"missing"}.
 */
export const TRANSITION = `${APPEND_AUDIT}
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {'missing'} end

local allowed = false
for status in string.gmatch(ARGV[1], '[^,]+') do
  if status == current then allowed = true end
end
if not allowed then return {'conflict', current} end

local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[5]) end
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end

local h = redis.call('HMGET', KEYS[1], 'id', 'model', 'version', 'environment')
audit(KEYS[2], KEYS[3], {
  'promotion', h[1], 'model', h[2], 'version', h[3], 'environment', h[4],
  'action', 'transition', 'from', current, 'to', ARGV[2],
  'actor', ARGV[3], 'reason', ARGV[5], 'at', ARGV[4], 'rev', tostring(rev)
})
return {'ok', tostring(rev)}
`;

/**
 * Counts one approval. The requester may not approve, each person counts
 * once, and the promotion moves to approved when the count is reached and,
 * if the environment names a required group, one approver is from it.
 * KEYS: promotion hash, approvals set, global audit stream, model audit
 * stream, set of approvers from the required group.
 * ARGV: user, time, "1" when the user is in the required group.
 * Returns {outcome, count, required, group} where outcome is approved,
 * counted, duplicate, self_approval, not_pending (with the status) or
 * missing, and group is "1" once the required group has approved.
 */
export const APPROVE = `${APPEND_AUDIT}
local h = redis.call('HMGET', KEYS[1], 'status', 'requestedBy', 'requiredApprovals', 'id', 'model', 'version', 'environment', 'requiredGroup')
if not h[1] then return {'missing'} end
if h[1] ~= 'pending_approval' then return {'not_pending', h[1]} end
if h[2] == ARGV[1] then return {'self_approval'} end

local required = tonumber(h[3])
local needs_group = h[8] and h[8] ~= ''
local function group_done()
  if not needs_group then return '1' end
  if redis.call('SCARD', KEYS[5]) > 0 then return '1' end
  return '0'
end

if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then
  return {'duplicate', tostring(redis.call('SCARD', KEYS[2])), tostring(required), group_done()}
end
if ARGV[3] == '1' then redis.call('SADD', KEYS[5], ARGV[1]) end
local count = redis.call('SCARD', KEYS[2])
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
audit(KEYS[3], KEYS[4], {
  'promotion', h[4], 'model', h[5], 'version', h[6], 'environment', h[7],
  'action', 'approval', 'from', h[1], 'to', h[1],
  'actor', ARGV[1], 'reason', '', 'at', ARGV[2], 'rev', tostring(rev)
})

local group = group_done()
if count < required or group == '0' then
  return {'counted', tostring(count), tostring(required), group}
end

rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'status', 'approved')
audit(KEYS[3], KEYS[4], {
  'promotion', h[4], 'model', h[5], 'version', h[6], 'environment', h[7],
  'action', 'transition', 'from', h[1], 'to', 'approved',
  'actor', ARGV[1], 'reason', '', 'at', ARGV[2], 'rev', tostring(rev)
})
return {'approved', tostring(count), tostring(required), group}
`;

/**
 * Voids the approvals of a pending promotion whose version changed in the
 * registry, and records the version's new identity.
 * KEYS: promotion hash, approvals set, group approvals set, global audit
 * stream, model audit stream.
 * ARGV: new identity, time, reason.
 * Returns {"voided", number of approvals voided} or {"not_pending", status}.
 */
export const VOID_APPROVALS = `${APPEND_AUDIT}
local h = redis.call('HMGET', KEYS[1], 'status', 'id', 'model', 'version', 'environment')
if not h[1] then return {'missing'} end
if h[1] ~= 'pending_approval' then return {'not_pending', h[1]} end

local voided = redis.call('SCARD', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3])
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'versionIdentity', ARGV[1], 'updatedAt', ARGV[2], 'reason', ARGV[3])
audit(KEYS[4], KEYS[5], {
  'promotion', h[2], 'model', h[3], 'version', h[4], 'environment', h[5],
  'action', 'approvals_voided', 'from', h[1], 'to', h[1],
  'actor', 'gantry', 'reason', ARGV[3], 'at', ARGV[2], 'rev', tostring(rev)
})
return {'voided', tostring(voided)}
`;

/**
 * Creates a promotion once per request key, so a repeated request cannot
 * create a second promotion.
 * KEYS: request key, promotion hash, per-model promotion index, global audit
 * stream, model audit stream.
 * ARGV: promotion id, request key TTL in seconds, index score, then
 * field/value pairs of the promotion.
 * Returns {"created", id} or {"exists", id of the first promotion}.
 */
export const CREATE = `${APPEND_AUDIT}
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', tonumber(ARGV[2])) then
  return {'exists', redis.call('GET', KEYS[1])}
end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[1])

local h = redis.call('HMGET', KEYS[2], 'id', 'model', 'version', 'environment', 'requestedBy', 'createdAt')
audit(KEYS[4], KEYS[5], {
  'promotion', h[1], 'model', h[2], 'version', h[3], 'environment', h[4],
  'action', 'created', 'from', '', 'to', 'pending_approval',
  'actor', h[5], 'reason', '', 'at', h[6], 'rev', '0'
})
return {'created', ARGV[1]}
`;
