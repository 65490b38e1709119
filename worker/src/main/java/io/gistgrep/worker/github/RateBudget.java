package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
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
 * taken, which spreads the load, unless a preferred one (holding an ETag) still has more
 * than a few left. A token GitHub refused (401) is revoked for every worker. The content
 * hosts have no such headers: {@link HostBudget} keeps their budgets.
 * <p>
 * While Redis is away ({@link RedisGuard}), each worker falls back to a conservative
 * budget of its own ({@link LocalTokenBudget}), kept up to date from the same headers all
 * along; the shared one is used again as soon as Redis answers.
 */
@Component
class RateBudget {

	static final String ANONYMOUS = "anonymous";

	private static final String PREFIX = "gistgrep:github:budget:";

	private static final long KEY_TTL_MILLIS = 2 * 60 * 60 * 1000L;

	/** How long a token GitHub refused stays out of rotation, for every worker. */
	static final Duration REVOKED_FOR = Duration.ofHours(1);

	/** A preferred token is taken while it has more requests left than this. */
	static final int PREFERRED_ABOVE = 10;

	private static final Logger log = LoggerFactory.getLogger(RateBudget.class);

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

	/** When each token's window resets, in epoch ms, as last reported; 0: unknown. */
	private final Map<String, AtomicLong> resets = new LinkedHashMap<>();

	private final Map<String, Counter> revoked = new LinkedHashMap<>();

	private final AtomicInteger rotation = new AtomicInteger();

	private final RedisGuard guard;

	private final LocalTokenBudget local = new LocalTokenBudget();

	RateBudget(StringRedisTemplate redis, GitHubProperties properties, MeterRegistry meters, RedisGuard guard) {
		this.redis = redis;
		this.guard = guard;
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
			AtomicLong reset = new AtomicLong();
			this.remaining.put(credential.id(), value);
			this.resets.put(credential.id(), reset);
			// Unknown once the window it was reported for has reset: a worker that made
			// no
			// request since must not show last window's low figure.
			Gauge
				.builder("gistgrep.github.budget.remaining", value,
						(v) -> (reset.get() > 0 && this.clock.millis() >= reset.get()) ? -1 : v.get())
				.tag("token", credential.id())
				.description("Requests left in the token's rate-limit window, as last reported (-1: unknown, "
						+ "or the window has reset since)")
				.register(meters);
			// At 0 from the start, so that the first refusal is a rise Prometheus sees.
			this.revoked.put(credential.id(),
					Counter.builder("gistgrep.github.tokens.revoked")
						.tag("token", credential.id())
						.description("Times GitHub refused the token (401 Bad credentials) and took it out of rotation")
						.register(meters));
		}
	}

	List<Credential> credentials() {
		return this.credentials;
	}

	/**
	 * Reserves one request of {@code preferred} (a token whose cached ETag can make the
	 * request free) while it has more than {@link #PREFERRED_ABOVE} left, else of the
	 * usable token with the most left. Revoked tokens are skipped.
	 * @throws GitHubException.RateLimited when no token may be used before some time
	 * @throws GitHubException.BadCredentials when every token is revoked
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
		return this.guard.call("budget-github", () -> shared(order, preferred != null),
				() -> this.local.acquire(order));
	}

	private Credential shared(List<Credential> order, boolean preferring) {
		List<String> keys = order.stream().map((c) -> PREFIX + c.id()).toList();
		List<?> answer = this.redis.execute(BudgetScripts.ACQUIRE, keys, Long.toString(this.clock.millis()),
				Integer.toString(PREFERRED_ABOVE), preferring ? "1" : "0");
		int index = ((Number) answer.get(0)).intValue();
		if (index >= 0) {
			return order.get(index);
		}
		if (((Number) answer.get(1)).longValue() < 0) {
			throw new GitHubException.BadCredentials();
		}
		Instant until = Instant.ofEpochMilli(((Number) answer.get(1)).longValue());
		throw new GitHubException.RateLimited("every GitHub token's budget is spent until " + until, until);
	}

	/** Stores the {@code x-ratelimit-*} headers of an answer to {@code credential}. */
	void record(Credential credential, long remaining, long resetEpochSeconds, boolean notModified) {
		this.local.record(credential, remaining, resetEpochSeconds);
		Long stored = this.guard.call("budget-github",
				() -> this.redis.execute(BudgetScripts.RECORD, List.of(PREFIX + credential.id()),
						Long.toString(remaining), Long.toString(resetEpochSeconds * 1000), notModified ? "1" : "0",
						Long.toString(KEY_TTL_MILLIS)),
				() -> remaining);
		AtomicLong gauge = this.remaining.get(credential.id());
		if (gauge != null && stored != null) {
			gauge.set(stored);
			this.resets.get(credential.id()).set(resetEpochSeconds * 1000);
		}
	}

	/**
	 * Takes a token GitHub refused (401) out of rotation for every worker, for
	 * {@link #REVOKED_FOR}; a fresh token has a fresh id, so replacing it ends that.
	 */
	void revoke(Credential credential) {
		long until = this.clock.millis() + REVOKED_FOR.toMillis();
		this.local.revoke(credential, Instant.ofEpochMilli(until));
		this.guard.run("budget-github", () -> this.redis.execute(BudgetScripts.REVOKE,
				List.of(PREFIX + credential.id()), Long.toString(until), Long.toString(KEY_TTL_MILLIS)));
		this.revoked.get(credential.id()).increment();
		log.warn("GitHub refused token {} (401 Bad credentials): out of rotation for every worker for {}",
				credential.id(), REVOKED_FOR);
	}

	/** Keeps every worker from using {@code credential} before {@code until}. */
	void block(Credential credential, Instant until) {
		this.local.block(credential, until);
		block(PREFIX + credential.id(), until);
	}

	private void block(String key, Instant until) {
		long ttl = Math.max(KEY_TTL_MILLIS, until.toEpochMilli() - this.clock.millis() + KEY_TTL_MILLIS);
		this.guard.run("budget-github", () -> this.redis.execute(BudgetScripts.BLOCK, List.of(key),
				Long.toString(until.toEpochMilli()), Long.toString(ttl)));
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
