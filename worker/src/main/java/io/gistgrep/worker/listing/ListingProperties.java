package io.gistgrep.worker.listing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a job lists its user's gists ({@code GISTGREP_LISTING_MAX_PASSES},
 * {@code GISTGREP_LISTING_PAGES_PER_TASK}).
 *
 * @param maxPasses the most listing passes of one job: after the first, the listing runs
 * again while the previous pass saw a change (a page that differs, or a different number
 * of pages), up to this many passes in all; the job then completes with what it found. 1
 * lists once, as before passes existed, and gives up the guarantee that no gist that
 * existed at the start is missed
 * @param pagesPerTask the most pages of one pass that one listing task lists in a row,
 * each in a transaction of its own, before it sends the next page as a task of its own
 * through the outbox; a new pass always starts as a task of its own. 1 sends every page
 * through the outbox and the broker, as before; more saves a page that round trip, and a
 * process that dies in the middle has its task's first page listed again
 */
@ConfigurationProperties("gistgrep.listing")
record ListingProperties(@DefaultValue("3") int maxPasses, @DefaultValue("10") int pagesPerTask) {

	ListingProperties {
		if (maxPasses < 1) {
			throw new IllegalArgumentException(
					"gistgrep.listing.max-passes (GISTGREP_LISTING_MAX_PASSES) must be 1 or more, was " + maxPasses);
		}
		if (pagesPerTask < 1) {
			throw new IllegalArgumentException(
					"gistgrep.listing.pages-per-task (GISTGREP_LISTING_PAGES_PER_TASK) must be 1 or more, was "
							+ pagesPerTask);
		}
	}

}
