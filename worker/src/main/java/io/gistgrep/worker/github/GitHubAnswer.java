package io.gistgrep.worker.github;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * An answer from GitHub read as the client acts on it: its status and headers turned into
 * a typed {@link GitHubException}, and its rate-limit headers. A rate limit that names
 * its wait ({@code retry-after}, or a secondary limit without one) also blocks the token
 * or raw host for every worker, through {@code block}; a spent primary budget needs no
 * block, since the budget recorded it from the same headers.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param received when the answer arrived, from which waits are counted
 */
record GitHubAnswer(int status, HttpHeaders headers, Instant received) {

	/** The wait after a secondary rate limit that names none, as GitHub advises. */
	static final Duration DEFAULT_SECONDARY_WAIT = Duration.ofSeconds(60);

	static GitHubAnswer of(HttpResponse<?> response, Instant received) {
		return new GitHubAnswer(response.statusCode(), response.headers(), received);
	}

	/**
	 * The budget an API answer reports.
	 *
	 * @param remaining requests left in the window
	 * @param resetEpochSeconds when the window ends
	 */
	record RateLimit(long remaining, long resetEpochSeconds) {

	}

	/** The {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} headers. */
	Optional<RateLimit> rateLimit() {
		OptionalLong remaining = header("x-ratelimit-remaining");
		OptionalLong reset = header("x-ratelimit-reset");
		if (remaining.isEmpty() || reset.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new RateLimit(remaining.getAsLong(), reset.getAsLong()));
	}

	boolean notModified() {
		return this.status == 304;
	}

	/**
	 * Checks a listing page's answer.
	 * @throws GitHubException.UserNotFound on a 404
	 */
	void checkListing(String username, String what, RateBudget.Credential credential, Consumer<Instant> block) {
		if (this.status == 404) {
			throw new GitHubException.UserNotFound(username);
		}
		checkApi(what, credential, block);
	}

	/**
	 * Checks the answer about one gist.
	 * @throws GitHubException.Unavailable on a 404
	 */
	void checkGist(String gistId, RateBudget.Credential credential, Consumer<Instant> block) {
		if (this.status == 404) {
			throw new GitHubException.Unavailable("gist-not-found", "GitHub has no gist " + gistId);
		}
		checkApi("gist " + gistId, credential, block);
	}

	/**
	 * Checks an API answer: returns on a 200, else throws what the status means.
	 * @param block called with the instant the token is to be blocked until, before a
	 * rate limit that names its wait is thrown
	 */
	void checkApi(String what, RateBudget.Credential credential, Consumer<Instant> block) {
		if (this.status == 200) {
			return;
		}
		if (this.status == 401) {
			throw new GitHubException.BadCredentials();
		}
		if (this.status == 403 || this.status == 429) {
			OptionalLong retryAfter = header("retry-after");
			Optional<RateLimit> limit = rateLimit();
			if (retryAfter.isPresent()) {
				Instant until = this.received.plusSeconds(Math.max(1, retryAfter.getAsLong()));
				block.accept(until);
				throw new GitHubException.RateLimited(
						what + ": secondary rate limit, retry after " + retryAfter.getAsLong() + " s", until);
			}
			if (limit.isPresent() && limit.get().remaining() == 0) {
				Instant at = Instant.ofEpochSecond(limit.get().resetEpochSeconds());
				throw new GitHubException.RateLimited(what + ": rate limit of " + credential + " spent until " + at,
						at.isAfter(this.received) ? at : this.received.plusSeconds(1));
			}
			if (this.status == 429 || header("x-ratelimit-remaining").isPresent()) {
				Instant until = this.received.plus(DEFAULT_SECONDARY_WAIT);
				block.accept(until);
				throw new GitHubException.RateLimited(what + ": rate limited (" + this.status + ")", until);
			}
			throw new GitHubException.Unavailable("forbidden", what + " answered 403");
		}
		if (this.status >= 500) {
			throw new GitHubException.Transient(what + " answered " + this.status);
		}
		throw new GitHubException.Unavailable("http-" + this.status, what + " answered " + this.status);
	}

	/**
	 * Checks a raw host's answer: returns on a 200, else throws what the status means.
	 * @param block called with the instant the host is to be blocked until, before its
	 * rate limit is thrown
	 */
	void checkRaw(String host, String path, Consumer<Instant> block) {
		if (this.status == 200) {
			return;
		}
		if (this.status == 404) {
			throw new GitHubException.Unavailable("raw-not-found", "raw_url answered 404");
		}
		if (this.status == 429 || (this.status == 403 && this.headers.firstValue("retry-after").isPresent())) {
			Instant until = this.received.plus(header("retry-after").stream()
				.mapToObj(Duration::ofSeconds)
				.findFirst()
				.orElse(DEFAULT_SECONDARY_WAIT));
			block.accept(until);
			throw new GitHubException.RateLimited("raw host " + host + " answered " + this.status, until);
		}
		if (this.status >= 500) {
			throw new GitHubException.Transient("raw " + path + " answered " + this.status);
		}
		throw new GitHubException.Unavailable((this.status == 403) ? "forbidden" : "http-" + this.status,
				"raw_url answered " + this.status);
	}

	/** A numeric header; empty when absent or not a number. */
	OptionalLong header(String name) {
		Optional<String> value = this.headers.firstValue(name);
		if (value.isEmpty()) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(Long.parseLong(value.get().trim()));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

}
