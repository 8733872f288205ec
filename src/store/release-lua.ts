/**
 * Lua scripts for the steps of a release: canary steps, success with the
 * environment's release history, holds and the one active promotion per
 * model and environment. Each runs atomically in Redis.
 */
import { APPEND_AUDIT } from "./lua.js";

/**
 * Checks that a promotion is in one of the expected statuses and that the
 * expected fields hold the expected values. Defines `check(first_pair)`,
 * which returns the current status, or false and a conflict reply.
 * ARGV[1] is the comma-separated statuses, ARGV[first_pair - 1] the number
 * of expected field/value pairs that follow; an empty value expects the
 * field to be absent.
 */
const CHECK_EXPECTED = `
local function check(first_pair)
  local current = redis.call('HGET', KEYS[1], 'status')
  if not current then return false, {'missing'} end

  local allowed = false
  for status in string.gmatch(ARGV[1], '[^,]+') do
    if status == current then allowed = true end
  end
  if not allowed then return false, {'conflict', current} end

  local count = tonumber(ARGV[first_pair - 1])
  for i = first_pair, first_pair + 2 * count - 1, 2 do
    local value = redis.call('HGET', KEYS[1], ARGV[i]) or ''
    if value ~= ARGV[i + 1] then return false, {'conflict', current, ARGV[i]} end
  end
  return current, first_pair + 2 * count
end
`;

/**
 * Updates a promotion when its status and the expected fields still hold,
 * optionally moving it to a new status, and writes an audit event.
 * KEYS: promotion hash, global audit stream, model audit stream.
 * ARGV: expected statuses (comma-separated), new status ('' keeps it),
 * actor, time, reason ('' keeps it), audit action for an update that keeps
 * the status, number of expected pairs, the expected field/value pairs,
 * then the field/value pairs to set.
 * Returns {"ok", rev}, {"conflict", status, field that differed} or {"missing"}.
 */
export const UPDATE = `${APPEND_AUDIT}${CHECK_EXPECTED}
local current, next_arg = check(8)
if not current then return next_arg end

local to = ARGV[2]
if to == '' then to = current end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[5]) end
for i = next_arg, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end

local action = 'transition'
if to == current then action = ARGV[6] end
local h = redis.call('HMGET', KEYS[1], 'id', 'model', 'version', 'environment')
audit(KEYS[2], KEYS[3], {
  'promotion', h[1], 'model', h[2], 'version', h[3], 'environment', h[4],
  'action', action, 'from', current, 'to', to,
  'actor', ARGV[3], 'reason', ARGV[5], 'at', ARGV[4], 'rev', tostring(rev)
})
return {'ok', tostring(rev)}
`;

/**
 * Ends a promotion succeeded and records its version as the one that runs
 * in the environment, all at once, so a crash cannot leave one without the
 * other. A release is appended to the environment's history; a rollback
 * trims the history after the last entry of its version. A promotion that
 * a person asked for releases the environment's hold.
 * KEYS: promotion hash, global audit stream, model audit stream, live hash,
 * succeeded hash, history list, hold hash.
 * ARGV: expected statuses, actor, time, history mode ("push" or "trim"),
 * "1" to release the hold, number of expected pairs, expected pairs.
 * Returns {"ok", rev, "1" when a hold was released}, or a conflict as UPDATE does.
 */
export const COMPLETE = `${APPEND_AUDIT}${CHECK_EXPECTED}
local current, next_arg = check(7)
if not current then return next_arg end

local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'status', 'succeeded', 'updatedAt', ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'id', 'model', 'version', 'environment')
audit(KEYS[2], KEYS[3], {
  'promotion', h[1], 'model', h[2], 'version', h[3], 'environment', h[4],
  'action', 'transition', 'from', current, 'to', 'succeeded',
  'actor', ARGV[2], 'reason', '', 'at', ARGV[3], 'rev', tostring(rev)
})

redis.call('HSET', KEYS[4], 'version', h[3], 'promotionId', h[1], 'at', ARGV[3])
redis.call('HSETNX', KEYS[5], h[3], ARGV[3])
if ARGV[4] == 'push' then
  redis.call('RPUSH', KEYS[6], cjson.encode({version = h[3], promotionId = h[1], at = ARGV[3]}))
  redis.call('LTRIM', KEYS[6], -200, -1)
else
  local entries = redis.call('LRANGE', KEYS[6], 0, -1)
  for i = #entries, 1, -1 do
    if cjson.decode(entries[i]).version == h[3] then
      redis.call('LTRIM', KEYS[6], 0, i - 1)
      break
    end
  end
end

local released = '0'
if ARGV[5] == '1' and redis.call('DEL', KEYS[7]) == 1 then
  released = '1'
  audit(KEYS[2], KEYS[3], {
    'promotion', h[1], 'model', h[2], 'version', h[3], 'environment', h[4],
    'action', 'hold_released', 'from', '', 'to', '',
    'actor', ARGV[2], 'reason', 'promoted by hand', 'at', ARGV[3], 'rev', tostring(rev)
  })
end
return {'ok', tostring(rev), released}
`;

/**
 * Holds an environment after a rollback, replacing an earlier hold.
 * KEYS: hold hash, global audit stream, model audit stream.
 * ARGV: model, environment, promotion id, version rolled back from, actor,
 * reason, time.
 * Returns "held", or "replaced" when a hold was already set.
 */
export const HOLD = `${APPEND_AUDIT}
local replaced = redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'promotionId', ARGV[3], 'version', ARGV[4],
  'by', ARGV[5], 'reason', ARGV[6], 'at', ARGV[7])
audit(KEYS[2], KEYS[3], {
  'promotion', ARGV[3], 'model', ARGV[1], 'version', ARGV[4], 'environment', ARGV[2],
  'action', 'hold', 'from', '', 'to', '',
  'actor', ARGV[5], 'reason', ARGV[6], 'at', ARGV[7], 'rev', ''
})
if replaced == 1 then return 'replaced' end
return 'held'
`;

/**
 * Makes a promotion the active one of its model and environment, or puts
 * it in the queue behind the active one. A holder named in ARGV[3] is
 * stale (it ended without releasing) and is replaced.
 * KEYS: active promotion key, queue sorted set.
 * ARGV: promotion id, time in ms, stale holder id or ''.
 * Returns {"active"} or {"waiting", holder, position from 1}.
 */
export const CLAIM_SLOT = `
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] or (ARGV[3] ~= '' and holder == ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {'active'}
end
-- Claims in the same millisecond would tie and sort by id, which is not the
-- order they came in, so a newcomer always scores above the last in line.
local score = tonumber(ARGV[2])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if #last == 2 and tonumber(last[2]) >= score then score = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[2], 'NX', score, ARGV[1])
return {'waiting', holder, tostring(redis.call('ZRANK', KEYS[2], ARGV[1]) + 1)}
`;

/**
 * Removes a promotion from its model and environment: from the queue, and,
 * when it is the active one, hands the slot to the first in the queue.
 * KEYS: active promotion key, queue sorted set.
 * ARGV: promotion id.
 * Returns {"next", id}, {"released"} when no one waits, or {"not_active"}.
 */
export const RELEASE_SLOT = `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'not_active'} end

local next = redis.call('ZPOPMIN', KEYS[2])
if #next == 0 then
  redis.call('DEL', KEYS[1])
  return {'released'}
end
redis.call('SET', KEYS[1], next[1])
return {'next', next[1]}
`;

/**
 * Makes a rollback the active promotion at once, ahead of the queue.
 * KEYS: active promotion key, queue sorted set.
 * ARGV: rollback promotion id.
 * Returns the id of the promotion that was active, or ''.
 */
export const TAKE_SLOT = `
local holder = redis.call('GET', KEYS[1]) or ''
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return holder
`;
