package io.gistgrep.api.http;

import java.io.IOException;

import io.gistgrep.api.problem.DatabaseUnavailable;
import io.gistgrep.api.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 503 service-unavailable} with {@code Retry-After} when PostgreSQL is
 * away and the failure surfaced in a filter (the API key lookup runs before any
 * controller), where the exception handler cannot see it and the container would answer
 * {@code 500}. Failures inside controllers are answered the same way by
 * {@code problem/ApiExceptionHandler}.
 */
class DatabaseOutageFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

	private final ProblemWriter problems;

	DatabaseOutageFilter(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException | ServletException ex) {
			if (!DatabaseUnavailable.in(ex) || response.isCommitted()) {
				throw ex;
			}
			log.warn("PostgreSQL is unavailable answering {} {}: {}", request.getMethod(), request.getRequestURI(),
					ex.toString());
			response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(Problems.UNAVAILABLE_RETRY_AFTER_SECONDS));
			this.problems.write(request, response, Problems.serviceUnavailable());
		}
	}

}
