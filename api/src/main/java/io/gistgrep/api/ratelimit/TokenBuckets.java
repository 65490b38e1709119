package io.gistgrep.api.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Token buckets in Redis, one per limit and subject, shared by every api replica. A
 * bucket holds up to the limit's per-minute quota and refills continuously at that rate
 * (a burst of the whole quota, then one request every {@code 60 s / quota}). Taking a
 * token is one Lua script, so it is atomic across replicas; it reads Redis's clock, so
 * the replicas' clocks do not matter.
 * <p>
 * <b>Redis down: fail open.</b> When Redis does not answer, {@link #take} answers null
 * and the request goes through unchecked, counted by {@code gistgrep.ratelimit.unchecked}
 * and logged (at most once per {@link #PAUSE}); for {@link #PAUSE} after a failure Redis
 * is not asked at all, so an outage does not add Redis's timeouts to every request.
 */
@Component
class TokenBuckets {

	/** The window every quota is per. */
	static final Duration WINDOW = Duration.ofMinutes(1);

	/** How long Redis is left alone after it failed. */
	static final Duration PAUSE = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(TokenBuckets.class);

	/**
	 * KEYS[1] the bucket; ARGV[1] the quota, ARGV[2] the window in ms. Answers {allowed
	 * (1 or 0), whole tokens left, ms until the bucket is full, ms until the next token}.
	 */
	private static final RedisScript<List> TAKE = RedisScript.of("""
			local quota = tonumber(ARGV[1])
			local window = tonumber(ARGV[2])
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
			local tokens, at = tonumber(state[1]), tonumber(state[2])
			if tokens == nil or at == nil then tokens, at = quota, now end
			if now > at then
			  tokens = math.min(quota, tokens + (now - at) * quota / window)
			  at = now
			end
			if tokens > quota then tokens = quota end
			local allowed = 0
			if tokens >= 1 then
			  tokens = tokens - 1
			  allowed = 1
			end
			redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
			redis.call('PEXPIRE', KEYS[1], window)
			local untilNext = 0
			if tokens < 1 then untilNext = math.ceil((1 - tokens) * window / quota) end
			return {allowed, math.floor(tokens), math.ceil((quota - tokens) * window / quota), untilNext}
			""", List.class);

	/**
	 * What taking a token found.
	 *
	 * @param allowed whether a token was taken
	 * @param remaining the whole tokens left
	 * @param resetSeconds seconds until the bucket is full again
	 * @param retryAfterSeconds when not allowed, seconds until a token is there (at least
	 * 1)
	 */
	record Decision(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {

	}

	private final StringRedisTemplate redis;

	private final MeterRegistry meters;

	/** The {@link System#nanoTime} until which Redis is left alone. */
	private final AtomicLong pausedUntil = new AtomicLong(System.nanoTime());

	TokenBuckets(StringRedisTemplate redis, MeterRegistry meters) {
		this.redis = redis;
		this.meters = meters;
	}

	/**
	 * Takes a token from {@code limit}'s bucket for {@code subject}, which holds
	 * {@code perMinute} (positive).
	 * @return what was found, or null when Redis did not answer (the request is let
	 * through)
	 */
	@Nullable Decision take(Limit limit, String subject, int perMinute) {
		long now = System.nanoTime();
		if (now - this.pausedUntil.get() < 0) {
			unchecked(limit);
			return null;
		}
		List<?> answer;
		try {
			answer = this.redis.execute(TAKE, List.of(limit.key(subject)), Integer.toString(perMinute),
					Long.toString(WINDOW.toMillis()));
		}
		catch (DataAccessException ex) {
			long until = System.nanoTime() + PAUSE.toNanos();
			long before = this.pausedUntil.getAndSet(until);
			if (now - before >= 0) {
				log.warn("Redis did not answer the rate limiter ({}); requests go through without a rate-limit check"
						+ " for the next {} s, then Redis is tried again", ex.getMessage(), PAUSE.toSeconds());
			}
			unchecked(limit);
			return null;
		}
		if (answer == null || answer.size() != 4) {
			throw new IllegalStateException("The rate-limit script answered " + answer);
		}
		long allowed = number(answer.get(0));
		long untilFull = number(answer.get(2));
		long untilNext = number(answer.get(3));
		return new Decision(allowed == 1, number(answer.get(1)), seconds(untilFull), Math.max(1, seconds(untilNext)));
	}

	private void unchecked(Limit limit) {
		Counter.builder("gistgrep.ratelimit.unchecked")
			.description("Requests let through without a rate-limit check because Redis did not answer")
			.tag("limit", limit.policy())
			.register(this.meters)
			.increment();
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	private static long seconds(long millis) {
		return (millis + 999) / 1000;
	}

}
