package io.gistgrep.worker.github;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts with which {@link HostBudget} reads and changes a content host's state
 * in one atomic step, on Redis' clock (every worker sees one time). KEYS[1] is the host's
 * hash: {@code rate} (requests per second allowed now), {@code tokens} and {@code ts}
 * (its token bucket), {@code cool} (until when the host is backed off), {@code strikes}
 * (throttles in a row), {@code since} (when the last throttle was recorded) and
 * {@code calm} (after when a good answer forgets the strikes); times in epoch ms. KEYS[2]
 * is the sorted set of requests in flight, each scored by when its lease lapses (a worker
 * that dies mid-request gives its slot back at that time).
 */
@SuppressWarnings("rawtypes")
final class HostScripts {

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	/**
	 * Takes a token and a slot: ARGV = max rate, concurrency cap, lease id, lease ms, key
	 * ttl ms. Answers {1, now, rate} when taken; {-1, cool end, rate} while the host is
	 * backed off; {-2, ms until a token, rate}; {-3, 0, rate} when every slot is taken.
	 */
	static final RedisScript<List> ACQUIRE = RedisScript.of(NOW + """
			local maxRate, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
			local v = redis.call('HMGET', KEYS[1], 'rate', 'tokens', 'ts', 'cool')
			local rate = tonumber(v[1]) or maxRate
			if rate > maxRate then rate = maxRate end
			local cool = tonumber(v[4]) or 0
			if cool > now then return {-1, cool, tostring(rate)} end
			-- a fifth of a second's worth at most: no burst after a quiet spell or a cool-down
			local burst = math.max(1, rate / 5)
			local tokens, ts = tonumber(v[2]), tonumber(v[3])
			if tokens == nil or ts == nil then tokens, ts = burst, now end
			if now > ts then
			  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
			  ts = now
			end
			if tokens < 1 then return {-2, math.ceil((1 - tokens) * 1000 / rate), tostring(rate)} end
			redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
			if redis.call('ZCARD', KEYS[2]) >= cap then return {-3, 0, tostring(rate)} end
			redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
			redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'tokens', tostring(tokens - 1), 'ts', ts)
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			redis.call('PEXPIRE', KEYS[2], ARGV[5])
			return {1, now, tostring(rate)}
			""", List.class);

	/**
	 * Gives a slot back after a good answer (ARGV[2] = 1) or another one (0): a good one
	 * raises the rate additively, by one request per second for each second of answers at
	 * the full rate, up to the max, and forgets the strikes once the host was calm for as
	 * long as its last cool-down. ARGV = lease id, good, max rate, key ttl ms. Answers
	 * {rate, strikes}.
	 */
	static final RedisScript<List> RELEASE = RedisScript.of(NOW + """
			redis.call('ZREM', KEYS[2], ARGV[1])
			local maxRate = tonumber(ARGV[3])
			local v = redis.call('HMGET', KEYS[1], 'rate', 'strikes', 'calm', 'since')
			local rate = tonumber(v[1]) or maxRate
			local strikes = tonumber(v[2]) or 0
			if ARGV[2] ~= '1' then return {tostring(rate), strikes} end
			if (tonumber(v[4]) or -1) >= tonumber(ARGV[5]) then return {tostring(rate), strikes} end
			if rate < maxRate then rate = math.min(maxRate, rate + 1 / rate) end
			if strikes > 0 and now > (tonumber(v[3]) or 0) then strikes = 0 end
			redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'strikes', strikes)
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			return {tostring(rate), strikes}
			""", List.class);

	/**
	 * Records a throttle: halves the rate (not below the min), backs the host off for the
	 * first cool-down doubled per strike and stretched by the jitter, capped at the max
	 * (so a capped cool-down has no jitter), or for the host's {@code retry-after} when
	 * longer, and empties the bucket so that requests resume at the new rate, not in a
	 * burst. A throttle of a request sent before the last one was recorded belongs to
	 * that episode and changes nothing. ARGV = lease id, when the request was sent (Redis
	 * ms), first cool-down ms, max cool-down ms, jitter (0..1), retry-after ms (0: none),
	 * min rate, max rate, key ttl ms. Answers {cool end, rate, strikes, 1 when this call
	 * started the cool-down}.
	 */
	static final RedisScript<List> THROTTLE = RedisScript.of(NOW + """
			redis.call('ZREM', KEYS[2], ARGV[1])
			local maxRate = tonumber(ARGV[8])
			local v = redis.call('HMGET', KEYS[1], 'rate', 'cool', 'strikes', 'since')
			local rate = tonumber(v[1]) or maxRate
			local cool = tonumber(v[2]) or 0
			local strikes = tonumber(v[3]) or 0
			if (tonumber(v[4]) or -1) >= tonumber(ARGV[2]) then
			  return {cool, tostring(rate), strikes, 0}
			end
			strikes = strikes + 1
			local wait = tonumber(ARGV[3]) * 2 ^ math.min(strikes - 1, 30) * (1 + tonumber(ARGV[5]))
			wait = math.floor(math.min(wait, tonumber(ARGV[4])))
			if tonumber(ARGV[6]) > wait then wait = tonumber(ARGV[6]) end
			cool = now + wait
			rate = math.max(tonumber(ARGV[7]), rate / 2)
			redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'cool', cool, 'strikes', strikes, 'since', now,
			  'calm', cool + wait, 'tokens', 0, 'ts', cool)
			redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[9]) + 2 * wait)
			return {cool, tostring(rate), strikes, 1}
			""", List.class);

	private HostScripts() {
	}

}
