package io.gistgrep.api.auth;

import java.time.Instant;

import io.gistgrep.api.problem.Problems;
import io.gistgrep.db.analytics.TenantSettings;
import io.gistgrep.db.analytics.TenantSettingsRepository;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/tenants/{tenant}/settings}: read and set a tenant's settings, today one:
 * {@code analytics_pattern_text}, whether search analytics keep the tenant's pattern
 * texts (the default, false, keeps their SHA-256 only). A tenant needs no key to have
 * settings. {@link AdminTokenFilter} guards it.
 */
@RestController
@SecurityRequirement(name = AuthConfiguration.ADMIN_TOKEN)
class AdminTenantSettingsController {

	private static final String PATTERN_TEXT = "analytics_pattern_text";

	private final TenantSettingsRepository settings;

	AdminTenantSettingsController(TenantSettingsRepository settings) {
		this.settings = settings;
	}

	/** A tenant's settings; {@code updatedAt} is null for a tenant never set. */
	record SettingsView(String tenant, boolean analyticsPatternText, @Nullable Instant updatedAt) {

		static SettingsView of(TenantSettings settings) {
			return new SettingsView(settings.tenant(), settings.analyticsPatternText(), settings.updatedAt());
		}

	}

	@GetMapping("/admin/tenants/{tenant}/settings")
	SettingsView get(@PathVariable String tenant) {
		return SettingsView.of(this.settings.find(valid(tenant)));
	}

	@PutMapping(path = "/admin/tenants/{tenant}/settings", consumes = MediaType.APPLICATION_JSON_VALUE)
	SettingsView put(@PathVariable String tenant, @RequestBody JsonNode body) {
		String name = valid(tenant);
		if (!body.isObject()) {
			throw invalid("The body must be a JSON object such as {\"" + PATTERN_TEXT + "\": true}.");
		}
		for (String field : body.propertyNames()) {
			if (!PATTERN_TEXT.equals(field)) {
				throw invalid("Unknown setting '" + field + "'; the settings are: " + PATTERN_TEXT + ".");
			}
		}
		JsonNode allowed = body.get(PATTERN_TEXT);
		if (allowed == null || !allowed.isBoolean()) {
			throw invalid(PATTERN_TEXT + " is required, and must be true or false.");
		}
		return SettingsView.of(this.settings.setAnalyticsPatternText(name, allowed.booleanValue()));
	}

	/** A tenant name as API keys have them, or the keyless legacy calls' tenant. */
	private static String valid(String tenant) {
		if (!ApiKeys.validTenant(tenant) && !Tenant.ANONYMOUS.name().equals(tenant)) {
			throw invalid("tenant must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
		}
		return tenant;
	}

	private static ErrorResponseException invalid(String detail) {
		return Problems.badRequest("invalid-tenant-settings", "Invalid tenant settings request", detail);
	}

}
