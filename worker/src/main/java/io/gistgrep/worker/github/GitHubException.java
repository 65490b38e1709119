package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.gistgrep.worker.messaging.RetryAt;
import org.jspecify.annotations.Nullable;

/**
 * What can go wrong when asking GitHub, each kind handled differently by the consumers.
 */
public sealed class GitHubException extends RuntimeException {

	GitHubException(String message, Throwable cause) {
		super(message, cause);
	}

	GitHubException(String message) {
		super(message);
	}

	/** GitHub answered 404 for a user's listing. */
	public static final class UserNotFound extends GitHubException {

		UserNotFound(String username) {
			super("GitHub has no user " + username);
		}

	}

	/** GitHub refused every configured token (401): a configuration error. */
	public static final class BadCredentials extends GitHubException {

		BadCredentials() {
			super("GitHub refused every configured token (401 Bad credentials)");
		}

	}

	/**
	 * A raw file is gone (404), or is not to be fetched (e.g. not on an allowed host).
	 */
	public static final class Unavailable extends GitHubException {

		private final String reason;

		Unavailable(String reason, String message) {
			super(message);
			this.reason = reason;
		}

		/** A short, stable reason, stored as the file's skip reason. */
		public String reason() {
			return this.reason;
		}

	}

	/**
	 * A rate limit was hit: nothing should be asked before {@link #retryAt()}. A primary
	 * limit parks until its reset, however often; a secondary limit parks at most
	 * {@link #maxParks()} times in a row, its wait growing when GitHub names none.
	 */
	public static final class RateLimited extends GitHubException implements RetryAt {

		/** A growing wait is capped at this many times the first. */
		static final int MAX_GROWTH = 32;

		private final Instant retryAt;

		private final @Nullable Instant from;

		private final Duration minWait;

		private final int maxParks;

		RateLimited(String message, Instant retryAt) {
			this(message, retryAt, null, Duration.ZERO, 0);
		}

		private RateLimited(String message, Instant retryAt, @Nullable Instant from, Duration minWait, int maxParks) {
			super(message);
			this.retryAt = retryAt;
			this.from = from;
			this.minWait = minWait;
			this.maxParks = maxParks;
		}

		/** A secondary limit whose wait GitHub named ({@code retry-after}). */
		static RateLimited secondary(String message, Instant retryAt, int maxParks) {
			return new RateLimited(message, retryAt, null, Duration.ZERO, maxParks);
		}

		/**
		 * A secondary limit without a named wait: {@code minWait}, doubled at each park.
		 */
		static RateLimited growing(String message, Instant from, Duration minWait, int maxParks) {
			return new RateLimited(message, from.plus(minWait), from, minWait, maxParks);
		}

		@Override
		public Instant retryAt() {
			return this.retryAt;
		}

		@Override
		public int maxParks() {
			return this.maxParks;
		}

		/** Whether this is a secondary limit (one that gives up after some parks). */
		public boolean secondary() {
			return this.maxParks > 0;
		}

		/**
		 * {@code minWait × 2^(parks-1)}, capped at {@link #MAX_GROWTH} times, plus up to
		 * a tenth of jitter; the named wait when GitHub gave one.
		 */
		@Override
		public Instant retryAt(int parks) {
			if (this.from == null) {
				return this.retryAt;
			}
			long factor = Math.min(MAX_GROWTH, 1L << Math.min(30, Math.max(0, parks - 1)));
			Duration wait = this.minWait.multipliedBy(factor);
			long jitter = ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1);
			return this.from.plus(wait).plusMillis(jitter);
		}

	}

	/** A 5xx, a timeout or a reset connection: worth retrying with backoff. */
	public static final class Transient extends GitHubException {

		Transient(String message, Throwable cause) {
			super(message, cause);
		}

		Transient(String message) {
			super(message);
		}

	}

}
