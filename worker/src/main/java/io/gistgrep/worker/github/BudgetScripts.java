package io.gistgrep.worker.github;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts with which {@link RateBudget} reads and changes a budget hash in one
 * atomic step. A hash holds {@code remaining} and {@code reset} (as GitHub last
 * reported), {@code blocked} (a secondary limit's end) and {@code revoked} (until when a
 * token GitHub refused is out of rotation), all in epoch milliseconds but
 * {@code remaining}.
 */
@SuppressWarnings("rawtypes")
final class BudgetScripts {

	/**
	 * Picks the preferred token (KEYS[1] when ARGV[3] is 1) if it is usable with more
	 * than ARGV[2] requests left, else the usable token with the most left, and reserves
	 * one request of it; or answers when the first one becomes usable again ({-1, -1}:
	 * every token is revoked). A revoked token is never usable and never waited for.
	 */
	static final RedisScript<List> ACQUIRE = RedisScript.of("""
			local now, threshold = tonumber(ARGV[1]), tonumber(ARGV[2])
			local best, bestScore, wait = -1, -1, -1
			for i, key in ipairs(KEYS) do
			  local v = redis.call('HMGET', key, 'remaining', 'reset', 'blocked', 'revoked')
			  local remaining, reset, blocked = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
			  local known = remaining ~= nil and reset ~= nil and reset > now
			  local blockedUntil = -1
			  if blocked ~= nil and blocked > now then blockedUntil = blocked end
			  if known and remaining <= 0 and reset > blockedUntil then blockedUntil = reset end
			  if tonumber(v[4] or '0') > now then
			    -- revoked: out of rotation
			  elseif blockedUntil > 0 then
			    if wait < 0 or blockedUntil < wait then wait = blockedUntil end
			  else
			    local score = 1e15
			    if known then score = remaining end
			    if i == 1 and ARGV[3] == '1' and score > threshold then
			      best, bestScore = 1, score
			      break
			    end
			    if score > bestScore then best, bestScore = i, score end
			  end
			end
			if best > 0 then
			  if bestScore < 1e15 then redis.call('HINCRBY', KEYS[best], 'remaining', -1) end
			  return {best - 1, 0}
			end
			return {-1, wait}
			""", List.class);

	/**
	 * Stores what GitHub reported. Within one window the lower count wins, since answers
	 * arrive out of order; a 304 gives back the request reserved for it (it is free).
	 */
	static final RedisScript<Long> RECORD = RedisScript.of("""
			local v = redis.call('HMGET', KEYS[1], 'remaining', 'reset')
			local remaining = tonumber(ARGV[1])
			if v[1] and v[2] and tonumber(v[2]) == tonumber(ARGV[2]) then
			  local stored = tonumber(v[1]) + tonumber(ARGV[3])
			  if stored < remaining then remaining = stored end
			end
			redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			return remaining
			""", Long.class);

	static final RedisScript<Long> BLOCK = RedisScript.of("""
			local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
			if tonumber(ARGV[1]) > blocked then redis.call('HSET', KEYS[1], 'blocked', ARGV[1]) end
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			return 1
			""", Long.class);

	static final RedisScript<Long> REVOKE = RedisScript.of("""
			redis.call('HSET', KEYS[1], 'revoked', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			return 1
			""", Long.class);

	private BudgetScripts() {
	}

}
