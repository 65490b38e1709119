package io.gistgrep.api.auth;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys and the admin token ({@code GISTGREP_BOOTSTRAP_API_KEYS},
 * {@code GISTGREP_ADMIN_TOKEN}).
 *
 * @param bootstrapApiKeys {@code tenant:key} entries seeded at start-up
 * @param adminToken the bearer token of {@code /admin/api-keys}; unset, that endpoint is
 * off
 * @param legacyAnonymous whether {@code POST /api/v1/search} takes calls without a key
 * ({@code GISTGREP_LEGACY_ANONYMOUS}), as the tenant {@link Tenant#ANONYMOUS}
 */
@ConfigurationProperties("gistgrep")
record AuthProperties(@DefaultValue List<String> bootstrapApiKeys, @Nullable String adminToken,
		boolean legacyAnonymous) {

	AuthProperties {
		// A token read from a file or a secret often ends with a newline; the token that
		// callers present is stripped too.
		adminToken = (adminToken != null) ? adminToken.strip() : null;
	}

	boolean adminEnabled() {
		return this.adminToken != null && !this.adminToken.isBlank();
	}

}
