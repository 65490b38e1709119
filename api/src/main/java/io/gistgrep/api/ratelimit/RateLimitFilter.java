package io.gistgrep.api.ratelimit;

import java.io.IOException;
import java.net.URI;

import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes a token from the request's bucket: submissions ({@code POST /jobs},
 * {@code POST /api/v1/search}) from the tenant's {@link Limit#JOBS} bucket, every other
 * request from its {@link Limit#READS} bucket, and a keyless legacy call from the client
 * address's {@link Limit#ANONYMOUS} bucket. Runs after the API key filter and only where
 * it put a tenant on the request: {@code /ping}, the OpenAPI description and
 * {@code /admin/} are never limited (nor the management port, a separate server).
 * <p>
 * A limited answer carries {@code RateLimit-Policy} and {@code RateLimit}
 * (draft-ietf-httpapi-ratelimit-headers-09: {@code "jobs";q=60;w=60} and
 * {@code "jobs";r=59;t=1}, {@code t} being the seconds until the bucket is full again);
 * when the bucket is empty, the answer is a {@code 429} problem of type
 * {@code rate-limited} with {@code Retry-After}. A limit of 0 is no limit, and no
 * headers; so is a request Redis could not check ({@link TokenBuckets}).
 */
class RateLimitFilter extends OncePerRequestFilter {

	static final String POLICY_HEADER = "RateLimit-Policy";

	static final String HEADER = "RateLimit";

	private final TokenBuckets buckets;

	private final RateLimitProperties properties;

	private final JsonMapper json;

	private final MeterRegistry meters;

	RateLimitFilter(TokenBuckets buckets, RateLimitProperties properties, JsonMapper json, MeterRegistry meters) {
		this.buckets = buckets;
		this.properties = properties;
		this.json = json;
		this.meters = meters;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(request.getAttribute(Tenant.ATTRIBUTE) instanceof Tenant tenant)) {
			chain.doFilter(request, response);
			return;
		}
		Limit limit;
		String subject;
		if (Boolean.TRUE.equals(request.getAttribute(Tenant.ANONYMOUS_ATTRIBUTE))) {
			limit = Limit.ANONYMOUS;
			subject = request.getRemoteAddr();
		}
		else {
			limit = submission(request) ? Limit.JOBS : Limit.READS;
			subject = tenant.name();
		}
		int perMinute = this.properties.perMinute(limit);
		TokenBuckets.Decision decision = (perMinute > 0) ? this.buckets.take(limit, subject, perMinute) : null;
		if (decision == null) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader(POLICY_HEADER,
				"\"" + limit.policy() + "\";q=" + perMinute + ";w=" + TokenBuckets.WINDOW.toSeconds());
		response.setHeader(HEADER,
				"\"" + limit.policy() + "\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
		if (decision.allowed()) {
			chain.doFilter(request, response);
			return;
		}
		Counter.builder("gistgrep.ratelimit.rejected")
			.description("Requests refused with 429 because a rate limit was hit")
			.tag("limit", limit.policy())
			.register(this.meters)
			.increment();
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
		ProblemDetail problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too Many Requests",
				limit.explain(perMinute) + " Retry after " + decision.retryAfterSeconds() + " s.");
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	private static boolean submission(HttpServletRequest request) {
		if (!request.getMethod().equals("POST")) {
			return false;
		}
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		return path.equals("/jobs") || path.equals("/api/v1/search");
	}

}
