package io.gistgrep.worker.listing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often a job lists its user's gists ({@code GISTGREP_LISTING_MAX_PASSES}).
 *
 * @param maxPasses the most listing passes of one job: after the first, the listing runs
 * again while the previous pass saw a change (a page that differs, or a different number
 * of pages), up to this many passes in all; the job then completes with what it found. 1
 * lists once, as before passes existed, and gives up the guarantee that no gist that
 * existed at the start is missed
 */
@ConfigurationProperties("gistgrep.listing")
record ListingProperties(@DefaultValue("3") int maxPasses) {

	ListingProperties {
		if (maxPasses < 1) {
			throw new IllegalArgumentException(
					"gistgrep.listing.max-passes (GISTGREP_LISTING_MAX_PASSES) must be 1 or more, was " + maxPasses);
		}
	}

}
