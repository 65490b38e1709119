package io.gistgrep.db.analytics;

import io.gistgrep.db.retention.RetentionRepository;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Per-tenant settings ({@code tenant_settings}); a tenant without a row has defaults. */
@Repository
public class TenantSettingsRepository {

	private final JdbcClient jdbc;

	public TenantSettingsRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public TenantSettings find(String tenant) {
		return this.jdbc
			.sql("SELECT tenant, analytics_pattern_text, updated_at FROM tenant_settings WHERE tenant = :tenant")
			.param("tenant", tenant)
			.query((rs, row) -> new TenantSettings(rs.getString("tenant"), rs.getBoolean("analytics_pattern_text"),
					rs.getTimestamp("updated_at").toInstant()))
			.optional()
			.orElseGet(() -> TenantSettings.defaults(tenant));
	}

	/**
	 * Sets whether analytics may keep the tenant's pattern texts. Turning it off also
	 * deletes the texts the rollup kept so far: only their hashes remain.
	 */
	@Transactional
	public TenantSettings setAnalyticsPatternText(String tenant, boolean allowed) {
		this.jdbc
			.sql("""
					INSERT INTO tenant_settings (tenant, analytics_pattern_text, updated_at) VALUES (:tenant, :allowed, now())
					ON CONFLICT (tenant) DO UPDATE SET analytics_pattern_text = EXCLUDED.analytics_pattern_text,
						updated_at = EXCLUDED.updated_at""")
			.param("tenant", tenant)
			.param("allowed", allowed)
			.update();
		if (!allowed) {
			// A retention run that began before this change still sees the setting on and
			// keeps texts: wait for it (it holds the lock for its transaction), so that
			// the
			// delete below removes what it kept; the next run sees the setting off.
			this.jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(:lock)")
				.param("lock", RetentionRepository.LOCK)
				.query(Integer.class)
				.single();
			this.jdbc.sql("DELETE FROM analytics_pattern_texts WHERE tenant = :tenant")
				.param("tenant", tenant)
				.update();
		}
		return find(tenant);
	}

}
