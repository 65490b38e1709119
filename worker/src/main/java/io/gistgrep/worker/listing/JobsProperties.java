package io.gistgrep.worker.listing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many jobs run at once ({@code GISTGREP_MAX_RUNNING_JOBS_PER_TENANT}).
 *
 * @param maxRunningPerTenant the most running jobs of one tenant; more wait in
 * {@code queued}, held by the cap, and start oldest first as running ones end; 0 for no
 * cap
 */
@ConfigurationProperties("gistgrep.jobs")
record JobsProperties(@DefaultValue("10") int maxRunningPerTenant) {

	JobsProperties {
		if (maxRunningPerTenant < 0) {
			throw new IllegalArgumentException(
					"gistgrep.jobs.max-running-per-tenant (GISTGREP_MAX_RUNNING_JOBS_PER_TENANT) must be 0 (no cap) or more, was "
							+ maxRunningPerTenant);
		}
	}

}
