package io.gistgrep.common.job;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How far a job got. Every gist ends in exactly one of scanned, skipped or failed;
 * {@code matched} counts the gists with at least one match, whatever their end.
 *
 * @param total the number of gists listed, null until the listing is complete
 * @param waitingForGitHubUntil until when some of the job's work is parked on a GitHub
 * rate limit or a throttled content host; null when none is (or the job has ended)
 */
public record Progress(@Nullable Integer total, int scanned, int matched, int skipped, int failed,
		@Nullable Instant waitingForGitHubUntil) {

	/** Progress with no work waiting on GitHub. */
	public Progress(@Nullable Integer total, int scanned, int matched, int skipped, int failed) {
		this(total, scanned, matched, skipped, failed, null);
	}

	public int done() {
		return this.scanned + this.skipped + this.failed;
	}

}
