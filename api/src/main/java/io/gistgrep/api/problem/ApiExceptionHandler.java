package io.gistgrep.api.problem;

import java.net.URI;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json}. Spring's own errors (malformed JSON,
 * unknown paths, wrong methods or media types) get a stable type per status instead of
 * {@code about:blank}; PostgreSQL being away is a 503 {@code service-unavailable} with
 * {@code Retry-After} ({@link DatabaseUnavailable}); anything else unexpected is a 500
 * whose body says nothing of its cause (it is logged instead).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		if (DatabaseUnavailable.in(ex)) {
			log.warn("PostgreSQL is unavailable answering {}: {}", request.getDescription(false), ex.toString());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(Problems.UNAVAILABLE_RETRY_AFTER_SECONDS));
			return createResponseEntity(Problems.serviceUnavailable(), headers, HttpStatus.SERVICE_UNAVAILABLE,
					request);
		}
		log.error("Unexpected error answering {}", request.getDescription(false), ex);
		ProblemDetail problem = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"gistgrep failed to answer this request; the error has been logged.");
		return createResponseEntity(problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	/**
	 * A body cut off at the size cap ({@code http/RequestGuardFilter}) fails inside the
	 * JSON reader: the answer is the cap's 413, not a 400 for malformed JSON.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof ErrorResponseException tooLarge) {
				return handleErrorResponseException(tooLarge, new HttpHeaders(), tooLarge.getStatusCode(), request);
			}
		}
		return super.handleHttpMessageNotReadable(ex, headers, status, request);
	}

	/**
	 * Tomcat's failure to decode a parameter (the request guard normally answers first).
	 */
	@ExceptionHandler
	ResponseEntity<Object> undecodable(InvalidParameterException ex, WebRequest request) {
		ErrorResponseException problem = Problems.badRequest("invalid-query", "Invalid query string",
				"The query string is not valid percent-encoded UTF-8.");
		return handleErrorResponseException(problem, new HttpHeaders(), problem.getStatusCode(), request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
			problem.setType(Problems.typeFor(statusCode.value()));
			if (statusCode.value() == 400 && problem.getDetail() != null
					&& problem.getDetail().startsWith("Failed to read request")) {
				problem.setDetail("The request body is not valid JSON of the expected shape.");
			}
		}
		HttpHeaders answer = headers;
		if (body instanceof ProblemDetail) {
			// Preset, so that no Accept header (not even an unparsable one) turns the
			// problem into an empty 406.
			answer = new HttpHeaders();
			answer.putAll(headers);
			answer.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		return super.createResponseEntity(body, answer, statusCode, request);
	}

}
