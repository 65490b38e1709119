package io.gistgrep.common.task;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One page of a user's gist listing. A job lists its user's gists in passes, each from
 * the first page to the last, until a pass finds nothing changed (or the configured most
 * passes ran): offset pages shift while the user adds and deletes gists, and a later pass
 * finds the gists that slid past the cursor.
 *
 * @param page 1-based number of the page
 * @param url the URL GitHub gave in the previous page's {@code Link: rel="next"} header,
 * or the first page's URL
 * @param pass 1-based number of the pass; a message sent before passes existed has none
 * and is read as pass 1 (boxed: Jackson 3 refuses a missing primitive)
 * @param changed whether an earlier page of this pass differed from the previous pass;
 * none is read as false
 */
public record ListPage(UUID jobId, int page, String url, @Nullable Integer pass, @Nullable Boolean changed) {

	public ListPage {
		pass = (pass != null && pass > 0) ? pass : 1;
		changed = Boolean.TRUE.equals(changed);
	}

	/** A page of the first pass. */
	public ListPage(UUID jobId, int page, String url) {
		this(jobId, page, url, 1, false);
	}

	/** The pass number, 1 or more. */
	public int passNumber() {
		return (this.pass != null) ? this.pass : 1;
	}

	/** Whether this pass has seen a change so far. */
	public boolean changedSoFar() {
		return Boolean.TRUE.equals(this.changed);
	}

}
