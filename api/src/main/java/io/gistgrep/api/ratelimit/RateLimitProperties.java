package io.gistgrep.api.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rate limits ({@code GISTGREP_RATE_LIMIT_*}), each per minute; {@code 0} means
 * unlimited.
 *
 * @param jobsPerMinute submissions ({@code POST /jobs}, {@code POST /api/v1/search}) per
 * tenant
 * @param readsPerMinute every other request per tenant
 * @param anonymousPerMinute keyless legacy calls ({@code GISTGREP_LEGACY_ANONYMOUS}) per
 * client address
 */
@ConfigurationProperties("gistgrep.rate-limit")
record RateLimitProperties(@DefaultValue("60") int jobsPerMinute, @DefaultValue("600") int readsPerMinute,
		@DefaultValue("10") int anonymousPerMinute) {

	RateLimitProperties {
		if (jobsPerMinute < 0 || readsPerMinute < 0 || anonymousPerMinute < 0) {
			throw new IllegalArgumentException(
					"gistgrep.rate-limit.*-per-minute must be 0 (unlimited) or positive, not negative");
		}
	}

	int perMinute(Limit limit) {
		return switch (limit) {
			case JOBS -> this.jobsPerMinute;
			case READS -> this.readsPerMinute;
			case ANONYMOUS -> this.anonymousPerMinute;
		};
	}

}
