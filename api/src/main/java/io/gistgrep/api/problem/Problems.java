package io.gistgrep.api.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The problems the api answers with (RFC 9457), each with a stable type URI
 * {@code https://gistgrep.dev/problems/<slug>}.
 */
public final class Problems {

	public static final String TYPE_PREFIX = "https://gistgrep.dev/problems/";

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

	public static ErrorResponseException badRequest(String slug, String title, String detail) {
		return of(HttpStatus.BAD_REQUEST, slug, title, detail);
	}

	public static ErrorResponseException jobNotFound(String id) {
		return of(HttpStatus.NOT_FOUND, "job-not-found", "Job not found", "There is no job " + id + ".");
	}

}
