package io.gistgrep.api.auth;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gistgrep.messaging.LogContext;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request to the api port needs an API key, except {@code /ping}, the OpenAPI
 * description and Swagger UI, and {@code /admin/} (guarded by its own token). The key's
 * tenant is put on the request for {@link Tenant} parameters. The management port is a
 * separate server that this filter is not part of. With
 * {@code GISTGREP_LEGACY_ANONYMOUS}, {@code POST /api/v1/search} without an
 * {@code Authorization} header is let in as {@link Tenant#ANONYMOUS} (rate limited per
 * client address after this filter).
 */
class ApiKeyFilter extends OncePerRequestFilter {

	/** A path under one job's; the id as the router will read it, any case. */
	private static final Pattern JOB_PATH = Pattern
		.compile("/jobs/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:/|$)");

	private final ApiKeys keys;

	private final Unauthorized unauthorized;

	private final boolean legacyAnonymous;

	ApiKeyFilter(ApiKeys keys, Unauthorized unauthorized, boolean legacyAnonymous) {
		this.keys = keys;
		this.unauthorized = unauthorized;
		this.legacyAnonymous = legacyAnonymous;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		return path.equals("/ping") || path.equals("/v3/api-docs") || path.equals("/v3/api-docs.yaml")
				|| path.startsWith("/v3/api-docs/") || path.equals("/swagger-ui.html")
				|| path.startsWith("/swagger-ui/") || path.startsWith("/admin/") || path.equals("/admin");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = Unauthorized.bearer(request);
		if (token == null && this.legacyAnonymous && request.getMethod().equals("POST")
				&& request.getServletPath().equals("/api/v1/search") && request.getPathInfo() == null) {
			request.setAttribute(Tenant.ATTRIBUTE, Tenant.ANONYMOUS);
			request.setAttribute(Tenant.ANONYMOUS_ATTRIBUTE, true);
			named(request, response, chain, Tenant.ANONYMOUS);
			return;
		}
		Optional<Tenant> tenant = (token != null && !token.isEmpty()) ? this.keys.tenant(token) : Optional.empty();
		if (tenant.isEmpty()) {
			this.unauthorized.send(request, response, token != null);
			return;
		}
		request.setAttribute(Tenant.ATTRIBUTE, tenant.get());
		named(request, response, chain, tenant.get());
	}

	/**
	 * The rest of the chain, its log lines naming the tenant, and the job of a
	 * {@code /jobs/{id}...} path ({@link LogContext}); a job made by the request is named
	 * once it exists.
	 */
	private static void named(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			Tenant tenant) throws ServletException, IOException {
		try (LogContext context = LogContext.open()) {
			LogContext.tenant(tenant.name());
			Matcher job = JOB_PATH.matcher(request.getRequestURI());
			if (job.lookingAt()) {
				LogContext.jobId(UUID.fromString(job.group(1)));
			}
			chain.doFilter(request, response);
		}
	}

}
