package io.gistgrep.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /admin/}: a 404 for everything while {@code GISTGREP_ADMIN_TOKEN} is
 * unset (the endpoint is off), else a 401 unless the bearer token is the admin token. The
 * comparison is of SHA-256 digests with {@link MessageDigest#isEqual}: constant time, and
 * equal lengths whatever the token given.
 */
class AdminTokenFilter extends OncePerRequestFilter {

	private final byte[] expected;

	private final boolean enabled;

	private final Unauthorized unauthorized;

	AdminTokenFilter(AuthProperties properties, Unauthorized unauthorized) {
		this.enabled = properties.adminEnabled();
		this.expected = ApiKeys.hash(this.enabled ? properties.adminToken() : "");
		this.unauthorized = unauthorized;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.enabled) {
			this.unauthorized.notFound(request, response);
			return;
		}
		String token = Unauthorized.bearer(request);
		if (token == null || !MessageDigest.isEqual(this.expected, ApiKeys.hash(token))) {
			this.unauthorized.send(request, response, token != null);
			return;
		}
		chain.doFilter(request, response);
	}

}
