package io.gistgrep.common.job;

import org.jspecify.annotations.Nullable;

/**
 * How far a job got. Every gist ends in exactly one of scanned, skipped or failed;
 * {@code matched} counts the gists with at least one match, whatever their end.
 *
 * @param total the number of gists listed, null until the listing is complete
 */
public record Progress(@Nullable Integer total, int scanned, int matched, int skipped, int failed) {

	public int done() {
		return this.scanned + this.skipped + this.failed;
	}

}
