package io.gistgrep.db.analytics;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's settings; a tenant never set has the defaults and no {@code updatedAt}.
 *
 * @param analyticsPatternText whether analytics keep and show the tenant's pattern texts
 * (patterns may be secrets: by default only their SHA-256)
 */
public record TenantSettings(String tenant, boolean analyticsPatternText, @Nullable Instant updatedAt) {

	/** The settings of a tenant never set. */
	public static TenantSettings defaults(String tenant) {
		return new TenantSettings(tenant, false, null);
	}

}
