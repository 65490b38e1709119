package io.gistgrep.worker.github;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An answer from GitHub read as the client acts on it: its status and headers turned into
 * a typed {@link GitHubException}, and its rate-limit headers. A rate limit that names
 * its wait ({@code retry-after}, or a secondary limit without one) also blocks the token
 * for every worker, through {@code block}; a spent primary budget needs no block, since
 * the budget recorded it from the same headers. A content host's throttle is told apart
 * ({@link #contentHostThrottle()}) for {@link HostBudget} to handle.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body when it is text (GitHub's {@code message}), else empty
 * @param received when the answer arrived, from which waits are counted
 * @param secondary how long a secondary limit that names no wait is waited out
 */
record GitHubAnswer(int status, HttpHeaders headers, String body, Instant received, SecondaryLimits secondary) {

	private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	GitHubAnswer(int status, HttpHeaders headers, Instant received) {
		this(status, headers, "", received, SecondaryLimits.DEFAULT);
	}

	static GitHubAnswer of(HttpResponse<?> response, Instant received) {
		return of(response, received, SecondaryLimits.DEFAULT);
	}

	static GitHubAnswer of(HttpResponse<?> response, Instant received, SecondaryLimits secondary) {
		String body = (response.body() instanceof String text) ? text : "";
		return new GitHubAnswer(response.statusCode(), response.headers(), body, received, secondary);
	}

	/**
	 * How secondary rate limits are waited out: GitHub asks for at least a minute, longer
	 * while the limit persists.
	 *
	 * @param minWait the first wait when GitHub names none; doubled at each park
	 * @param maxTries how many times in a row a task may be parked by a secondary limit
	 * before it is given up
	 */
	record SecondaryLimits(Duration minWait, int maxTries) {

		static final SecondaryLimits DEFAULT = new SecondaryLimits(Duration.ofMinutes(1), 6);

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
				throw GitHubException.RateLimited.secondary(
						what + ": secondary rate limit, retry after " + retryAfter.getAsLong() + " s", until,
						this.secondary.maxTries());
			}
			if (limit.isPresent() && limit.get().remaining() == 0) {
				Instant at = Instant.ofEpochSecond(limit.get().resetEpochSeconds());
				throw new GitHubException.RateLimited(what + ": rate limit of " + credential + " spent until " + at,
						at.isAfter(this.received) ? at : this.received.plusSeconds(1));
			}
			if (this.status == 429 || secondaryMessage()) {
				block.accept(this.received.plus(this.secondary.minWait()));
				throw GitHubException.RateLimited.growing(what + ": secondary rate limit (" + this.status + ")",
						this.received, this.secondary.minWait(), this.secondary.maxTries());
			}
			throw new GitHubException.Unavailable("forbidden", what + " answered 403: " + message());
		}
		if (this.status >= 500) {
			throw new GitHubException.Transient(what + " answered " + this.status);
		}
		throw new GitHubException.Unavailable("http-" + this.status, what + " answered " + this.status);
	}

	/**
	 * Whether a content host (raw files, git) throttled the request: a {@code 429}, or a
	 * {@code 403}, which GitHub's content hosts send for nothing else a public gist's URL
	 * could meet.
	 */
	boolean contentHostThrottle() {
		return this.status == 429 || this.status == 403;
	}

	/**
	 * The {@code retry-after} header: seconds, or an HTTP date (RFC 9110 allows both),
	 * counted from when the answer arrived; empty when absent or unreadable.
	 */
	Optional<Duration> retryAfter() {
		OptionalLong seconds = header("retry-after");
		if (seconds.isPresent()) {
			return Optional.of(Duration.ofSeconds(Math.max(1, seconds.getAsLong())));
		}
		return this.headers.firstValue("retry-after").flatMap((value) -> {
			try {
				Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				Duration wait = Duration.between(this.received, at);
				return Optional.of(wait.isNegative() ? Duration.ofSeconds(1) : wait);
			}
			catch (DateTimeParseException ex) {
				return Optional.empty();
			}
		});
	}

	/**
	 * Checks a raw host's answer once {@link #contentHostThrottle()} was handled: returns
	 * on a 200, else throws what the status means.
	 */
	void checkRaw(String path) {
		if (this.status == 200) {
			return;
		}
		if (this.status == 404) {
			throw new GitHubException.Unavailable("raw-not-found", "raw_url answered 404");
		}
		if (this.status >= 500) {
			throw new GitHubException.Transient("raw " + path + " answered " + this.status);
		}
		throw new GitHubException.Unavailable("http-" + this.status, "raw_url answered " + this.status);
	}

	/** Whether GitHub's message says this is a secondary rate limit. */
	boolean secondaryMessage() {
		return message().toLowerCase(Locale.ROOT).contains("secondary rate limit");
	}

	/**
	 * The body's {@code message}, short; the body itself when it is not GitHub's JSON.
	 */
	String message() {
		Matcher matcher = MESSAGE.matcher(this.body);
		String message = matcher.find() ? matcher.group(1) : this.body.strip();
		return (message.length() > 200) ? message.substring(0, 200) : message;
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
