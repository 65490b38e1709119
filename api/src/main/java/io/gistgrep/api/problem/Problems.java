package io.gistgrep.api.problem;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The problems the api answers with (RFC 9457), each with a stable type URI
 * {@code https://gistgrep.dev/problems/<slug>}.
 */
public final class Problems {

	public static final String TYPE_PREFIX = "https://gistgrep.dev/problems/";

	/** The type of Spring's and the container's own errors, by status. */
	private static final Map<Integer, String> SLUGS = Map.of(400, "invalid-request", 404, "not-found", 405,
			"method-not-allowed", 406, "not-acceptable", 413, "payload-too-large", 415, "unsupported-media-type", 500,
			"internal-error");

	private Problems() {
	}

	public static ErrorResponseException of(HttpStatus status, String slug, String title, String detail) {
		return new ErrorResponseException(status, problem(status, slug, title, detail), null);
	}

	public static ProblemDetail problem(HttpStatus status, String slug, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + slug));
		problem.setTitle(title);
		return problem;
	}

	/** The type URI for an error of this status that has no type of its own. */
	public static URI typeFor(int status) {
		return URI.create(TYPE_PREFIX + SLUGS.getOrDefault(status, "error"));
	}

	/**
	 * A problem that says only what its status says: for errors we know nothing more of.
	 */
	public static ProblemDetail forStatus(HttpStatus status) {
		String detail = (status.is5xxServerError())
				? "gistgrep failed to answer this request; the error has been logged."
				: "The request was rejected: " + status.getReasonPhrase() + ".";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(typeFor(status.value()));
		problem.setTitle(status.getReasonPhrase());
		return problem;
	}

	public static ErrorResponseException payloadTooLarge(long maxBytes) {
		return of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Request body too large",
				"The request body must not be larger than " + maxBytes + " bytes.");
	}

	public static ErrorResponseException badRequest(String slug, String title, String detail) {
		return of(HttpStatus.BAD_REQUEST, slug, title, detail);
	}

	/**
	 * How long a client is asked to wait before retrying a request that failed because
	 * PostgreSQL is away: readiness takes an api replica that cannot reach it out of
	 * rotation within a few probe periods, and a restart takes about as long.
	 */
	public static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

	/**
	 * The problem for a request that needs PostgreSQL while it is away: {@code 503}
	 * {@code service-unavailable}; send it with
	 * {@code Retry-After: }{@value #UNAVAILABLE_RETRY_AFTER_SECONDS}.
	 */
	public static ProblemDetail serviceUnavailable() {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
				"The database is unavailable; the request was not carried out. Retry after "
						+ UNAVAILABLE_RETRY_AFTER_SECONDS + " s.");
	}

	public static ErrorResponseException jobNotFound(String id) {
		return of(HttpStatus.NOT_FOUND, "job-not-found", "Job not found", "There is no job " + id + ".");
	}

}
