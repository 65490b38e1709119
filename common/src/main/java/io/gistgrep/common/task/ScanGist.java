package io.gistgrep.common.task;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Scan one gist of a job; the gist's files are read from the database.
 *
 * @param revision the gist's revision in the job when the task was sent (a later listing
 * pass that finds the gist's files changed raises it and sends a new task); a message
 * sent before revisions existed has none and is read as 0 (boxed: Jackson 3 refuses a
 * missing primitive)
 */
public record ScanGist(UUID jobId, String gistId, @Nullable Integer revision) {

	public ScanGist {
		revision = (revision != null) ? revision : 0;
	}

	/** A scan of a gist's first revision. */
	public ScanGist(UUID jobId, String gistId) {
		this(jobId, gistId, 0);
	}

	/** The revision, 0 or more. */
	public int revisionNumber() {
		return (this.revision != null) ? this.revision : 0;
	}

}
