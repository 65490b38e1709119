package io.gistgrep.api.auth;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request to the api port needs an API key, except {@code /ping}, the OpenAPI
 * description and Swagger UI, and {@code /admin/} (guarded by its own token). The key's
 * tenant is put on the request for {@link Tenant} parameters. The management port is a
 * separate server that this filter is not part of.
 */
class ApiKeyFilter extends OncePerRequestFilter {

	private final ApiKeys keys;

	private final Unauthorized unauthorized;

	ApiKeyFilter(ApiKeys keys, Unauthorized unauthorized) {
		this.keys = keys;
		this.unauthorized = unauthorized;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		return path.equals("/ping") || path.equals("/v3/api-docs") || path.startsWith("/v3/api-docs/")
				|| path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/") || path.startsWith("/admin/")
				|| path.equals("/admin");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = Unauthorized.bearer(request);
		Optional<Tenant> tenant = (token != null && !token.isEmpty()) ? this.keys.tenant(token) : Optional.empty();
		if (tenant.isEmpty()) {
			this.unauthorized.send(request, response, token != null);
			return;
		}
		request.setAttribute(Tenant.ATTRIBUTE, tenant.get());
		chain.doFilter(request, response);
	}

}
