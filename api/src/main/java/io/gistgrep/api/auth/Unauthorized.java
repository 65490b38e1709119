package io.gistgrep.api.auth;

import java.io.IOException;
import java.net.URI;

import io.gistgrep.api.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The problems the auth filters answer with themselves, before any controller: 401 with
 * {@code WWW-Authenticate: Bearer} (RFC 6750), and the admin endpoint's 404 when it is
 * off.
 */
final class Unauthorized {

	private final JsonMapper json;

	Unauthorized(JsonMapper json) {
		this.json = json;
	}

	/**
	 * A 401. {@code given} is whether the request carried credentials: then they are
	 * wrong ({@code error="invalid_token"}); otherwise they are missing.
	 */
	void send(HttpServletRequest request, HttpServletResponse response, boolean given) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				given ? "Bearer realm=\"gistgrep\", error=\"invalid_token\"" : "Bearer realm=\"gistgrep\"");
		String detail = given ? "The bearer token is not valid, or has been revoked."
				: "This endpoint needs an API key: send 'Authorization: Bearer <key>'.";
		write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
	}

	void notFound(HttpServletRequest request, HttpServletResponse response) throws IOException {
		write(request, response, Problems.problem(HttpStatus.NOT_FOUND, "not-found", "Not Found",
				"No endpoint " + request.getMethod() + " " + request.getRequestURI() + "."));
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	/** The token of an {@code Authorization: Bearer} header; null when there is none. */
	static @Nullable String bearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			return null;
		}
		header = header.strip();
		if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return "";
		}
		return header.substring(7).strip();
	}

}
