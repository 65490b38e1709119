package io.gistgrep.worker.github;

import java.time.Instant;

import io.gistgrep.worker.messaging.RetryAt;

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

	/** A rate limit was hit: nothing should be asked before {@link #retryAt()}. */
	public static final class RateLimited extends GitHubException implements RetryAt {

		private final Instant retryAt;

		RateLimited(String message, Instant retryAt) {
			super(message);
			this.retryAt = retryAt;
		}

		@Override
		public Instant retryAt() {
			return this.retryAt;
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
