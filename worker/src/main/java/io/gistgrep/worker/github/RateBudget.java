package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * GitHub's primary rate limit as every worker sees it: per token, the remaining requests
 * and the reset time that GitHub's {@code x-ratelimit-*} headers last reported, kept in
 * Redis. A request is sent only after {@link #acquire} reserved one request of a token's
 * budget in one atomic step; when every token is spent (or blocked by a secondary limit)
 * it throws {@link GitHubException.RateLimited}, and the task is parked until then
 * instead of asking GitHub to refuse it again.
 * <p>
 * A token whose budget is unknown (never seen, or past its reset) may be used: its first
 * answer tells. Of the tokens that may be used, the one with the most requests left is
 * taken, which spreads the load. The raw content host has no such headers; a {@code 429}
 * from it blocks raw fetches for every worker until its {@code retry-after}.
 */
@Component
class RateBudget {

	static final String ANONYMOUS = "anonymous";

	private static final String PREFIX = "gistgrep:github:budget:";

	private static final long KEY_TTL_MILLIS = 2 * 60 * 60 * 1000L;

	/**
	 * Picks the usable token with the most requests left and reserves one of them; or
	 * answers when the first one becomes usable again.
	 */
	private static final RedisScript<List> ACQUIRE = RedisScript.of("""
			local now = tonumber(ARGV[1])
			local best, bestScore, wait = -1, -1, -1
			for i, key in ipairs(KEYS) do
			  local v = redis.call('HMGET', key, 'remaining', 'reset', 'blocked')
			  local remaining, reset, blocked = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
			  local known = remaining ~= nil and reset ~= nil and reset > now
			  local blockedUntil = -1
			  if blocked ~= nil and blocked > now then blockedUntil = blocked end
			  if known and remaining <= 0 and reset > blockedUntil then blockedUntil = reset end
			  if blockedUntil > 0 then
			    if wait < 0 or blockedUntil < wait then wait = blockedUntil end
			  else
			    local score = 1e15
			    if known then score = remaining end
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
	private static final RedisScript<Long> RECORD = RedisScript.of("""
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

	private static final RedisScript<Long> BLOCK = RedisScript.of("""
			local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
			if tonumber(ARGV[1]) > blocked then redis.call('HSET', KEYS[1], 'blocked', ARGV[1]) end
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			return 1
			""", Long.class);

	/** A token (or none) and the id it is known by in Redis, logs and metrics. */
	record Credential(String id, @Nullable String token) {

		@Override
		public String toString() {
			return this.id;
		}

	}

	private final StringRedisTemplate redis;

	private final Clock clock;

	private final List<Credential> credentials;

	private final Map<String, AtomicLong> remaining = new LinkedHashMap<>();

	private final AtomicInteger rotation = new AtomicInteger();

	RateBudget(StringRedisTemplate redis, GitHubProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.clock = Clock.systemUTC();
		List<Credential> credentials = new ArrayList<>();
		for (String token : properties.tokens()) {
			credentials.add(new Credential(id(token), token));
		}
		if (credentials.isEmpty()) {
			credentials.add(new Credential(ANONYMOUS, null));
		}
		this.credentials = List.copyOf(credentials);
		for (Credential credential : this.credentials) {
			AtomicLong value = new AtomicLong(-1);
			this.remaining.put(credential.id(), value);
			Gauge.builder("gistgrep.github.budget.remaining", value, AtomicLong::get)
				.tag("token", credential.id())
				.description("Requests left in the token's rate-limit window, as last reported (-1: unknown)")
				.register(meters);
		}
	}

	List<Credential> credentials() {
		return this.credentials;
	}

	/**
	 * Reserves one request of the usable token with the most left, {@code preferred}
	 * first among equals (a token whose cached ETag can make the request free).
	 * @throws GitHubException.RateLimited when no token may be used before some time
	 */
	Credential acquire(@Nullable Credential preferred) {
		List<Credential> order = new ArrayList<>(this.credentials.size());
		if (preferred != null) {
			order.add(preferred);
		}
		int start = Math.floorMod(this.rotation.getAndIncrement(), this.credentials.size());
		for (int i = 0; i < this.credentials.size(); i++) {
			Credential candidate = this.credentials.get((start + i) % this.credentials.size());
			if (!candidate.equals(preferred)) {
				order.add(candidate);
			}
		}
		List<String> keys = order.stream().map((c) -> PREFIX + c.id()).toList();
		List<?> answer = this.redis.execute(ACQUIRE, keys, Long.toString(this.clock.millis()));
		int index = ((Number) answer.get(0)).intValue();
		if (index >= 0) {
			return order.get(index);
		}
		Instant until = Instant.ofEpochMilli(((Number) answer.get(1)).longValue());
		throw new GitHubException.RateLimited("every GitHub token's budget is spent until " + until, until);
	}

	/** Stores the {@code x-ratelimit-*} headers of an answer to {@code credential}. */
	void record(Credential credential, long remaining, long resetEpochSeconds, boolean notModified) {
		Long stored = this.redis.execute(RECORD, List.of(PREFIX + credential.id()), Long.toString(remaining),
				Long.toString(resetEpochSeconds * 1000), notModified ? "1" : "0", Long.toString(KEY_TTL_MILLIS));
		AtomicLong gauge = this.remaining.get(credential.id());
		if (gauge != null && stored != null) {
			gauge.set(stored);
		}
	}

	/** Keeps every worker from using {@code credential} before {@code until}. */
	void block(Credential credential, Instant until) {
		block(PREFIX + credential.id(), until);
	}

	/**
	 * Checks that raw fetches from {@code host} are not blocked.
	 * @throws GitHubException.RateLimited when they are
	 */
	void checkRawHost(String host) {
		List<?> answer = this.redis.execute(ACQUIRE, List.of(PREFIX + "raw:" + host),
				Long.toString(this.clock.millis()));
		if (((Number) answer.get(0)).intValue() < 0) {
			Instant until = Instant.ofEpochMilli(((Number) answer.get(1)).longValue());
			throw new GitHubException.RateLimited("raw fetches from " + host + " are blocked until " + until, until);
		}
	}

	/**
	 * Keeps every worker from fetching raw files from {@code host} before {@code until}.
	 */
	void blockRawHost(String host, Instant until) {
		block(PREFIX + "raw:" + host, until);
	}

	private void block(String key, Instant until) {
		long ttl = Math.max(KEY_TTL_MILLIS, until.toEpochMilli() - this.clock.millis() + KEY_TTL_MILLIS);
		this.redis.execute(BLOCK, List.of(key), Long.toString(until.toEpochMilli()), Long.toString(ttl));
	}

	/** A token's public id: a hash prefix, never the token. */
	static String id(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return "token-" + HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
