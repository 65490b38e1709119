package io.gistgrep.api.http;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The standard security headers, on every answer, errors included: browsers must not
 * sniff a JSON answer into something else, frame it, or send our URLs (which hold job
 * ids) on as a referrer; and no cache may keep an answer, since job data is private to
 * its caller. The headers are set before the request is handled, so that they are there
 * whoever answers it.
 */
class SecurityHeadersFilter extends OncePerRequestFilter {

	static final Map<String, String> HEADERS = Map.of("X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY",
			"Referrer-Policy", "no-referrer", HttpHeaders.CACHE_CONTROL, "no-store");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HEADERS.forEach(response::setHeader);
		chain.doFilter(request, response);
	}

}
