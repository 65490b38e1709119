package io.gistgrep.cli.client;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An error answer of the api, read from its {@code application/problem+json} body (RFC
 * 9457).
 *
 * @param status the HTTP status
 * @param type the last segment of the problem's type URI ({@code invalid-pattern}), or
 * {@code about:blank} when the server sent none
 * @param title the problem's short summary
 * @param detail what happened this time
 * @param retryAfter the {@code Retry-After} header, when the server sent one
 */
public record ApiProblem(int status, String type, String title, String detail, @Nullable Duration retryAfter) {

	/** The problem as one line: {@code Title: detail}. */
	public String oneLine() {
		return (this.detail.isBlank() || this.detail.equals(this.title)) ? this.title : this.title + ": " + this.detail;
	}

	public Optional<Duration> retryAfterHeader() {
		return Optional.ofNullable(this.retryAfter);
	}

	/** The problem thrown, so that a command can stop where it is. */
	public Failure failure() {
		return new Failure(this);
	}

	/** An {@link ApiProblem} as an exception. */
	public static final class Failure extends RuntimeException {

		private final transient ApiProblem problem;

		Failure(ApiProblem problem) {
			super(problem.oneLine());
			this.problem = problem;
		}

		public ApiProblem problem() {
			return this.problem;
		}

	}

}
