package io.gistgrep.db.gist;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A gist's outcome to record: what {@link GistRepository#finishAll} writes for each gist
 * of a batch.
 *
 * @param revision the gist's revision when its files were read
 * @param error the gist-level reason it was skipped or failed, if any
 */
public record GistFinish(UUID jobId, String gistId, int revision, GistOutcome outcome, @Nullable String error,
		List<FileResult> files) {

	public GistFinish {
		files = List.copyOf(files);
	}

	/** Whether any file matched. */
	public boolean matched() {
		for (FileResult file : this.files) {
			if (file.matchCount() > 0) {
				return true;
			}
		}
		return false;
	}

}
