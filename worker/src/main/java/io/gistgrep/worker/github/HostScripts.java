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
	 * Gives leases back, then takes new ones, in one atomic step: the calls of many
	 * requests gathered by {@link BudgetCalls}. ARGV = max rate, concurrency cap, lease
	 * ms (of the leases taken), key ttl ms, the number n of leases given back, then n
	 * triples (lease id, good, when its request was sent in Redis ms), then the ids of
	 * the leases to take, in order.
	 * <p>
	 * A lease given back frees its slot; after a good answer (good = 1) to a request sent
	 * after the last throttle was recorded, the rate rises additively, by one request per
	 * second for each second of answers at the full rate, up to the max, and the strikes
	 * are forgotten once the host was calm for as long as its last cool-down.
	 * <p>
	 * Each lease taken takes a token and a slot, in order, until one cannot be had: then
	 * that take and every later one get the reason. Answers {taken, outcome, value, rate,
	 * now}: the first {@code taken} ids hold a lease from now; the others' outcome is -1
	 * while the host is backed off (value: when its cool-down ends), -2 when no token is
	 * left (value: ms until one is), -3 when every slot is taken (value 0); outcome 1
	 * when all were taken.
	 */
	static final RedisScript<List> LEASES = RedisScript.of(NOW + """
			local maxRate, cap, leaseMs, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
			local first = 6 + 3 * tonumber(ARGV[5])
			local v = redis.call('HMGET', KEYS[1], 'rate', 'tokens', 'ts', 'cool', 'strikes', 'calm', 'since')
			local rate = tonumber(v[1]) or maxRate
			local strikes = tonumber(v[5]) or 0
			local since = tonumber(v[7]) or -1
			local raised = false
			for i = 6, first - 1, 3 do
			  redis.call('ZREM', KEYS[2], ARGV[i])
			  if ARGV[i + 1] == '1' and since < tonumber(ARGV[i + 2]) then
			    if rate < maxRate then rate = math.min(maxRate, rate + 1 / rate) end
			    if strikes > 0 and now > (tonumber(v[6]) or 0) then strikes = 0 end
			    raised = true
			  end
			end
			if raised then
			  redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'strikes', strikes)
			  redis.call('PEXPIRE', KEYS[1], ttl)
			end
			local taken, outcome, value = 0, 1, now
			if #ARGV >= first then
			  if rate > maxRate then rate = maxRate end
			  local cool = tonumber(v[4]) or 0
			  if cool > now then return {0, -1, cool, tostring(rate), now} end
			  -- a fifth of a second's worth at most: no burst after a quiet spell or a cool-down
			  local burst = math.max(1, rate / 5)
			  local tokens, ts = tonumber(v[2]), tonumber(v[3])
			  if tokens == nil or ts == nil then tokens, ts = burst, now end
			  if now > ts then
			    tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
			    ts = now
			  end
			  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
			  local inFlight = redis.call('ZCARD', KEYS[2])
			  for i = first, #ARGV do
			    if tokens < 1 then
			      outcome, value = -2, math.ceil((1 - tokens) * 1000 / rate)
			      break
			    end
			    if inFlight >= cap then
			      outcome, value = -3, 0
			      break
			    end
			    redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[i])
			    tokens, inFlight, taken = tokens - 1, inFlight + 1, taken + 1
			  end
			  if taken > 0 then
			    redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'tokens', tostring(tokens), 'ts', ts)
			    redis.call('PEXPIRE', KEYS[1], ttl)
			    redis.call('PEXPIRE', KEYS[2], ttl)
			  end
			end
			return {taken, outcome, value, tostring(rate), now}
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
