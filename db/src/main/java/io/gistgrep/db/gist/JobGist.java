package io.gistgrep.db.gist;

import java.util.Optional;
import java.util.UUID;

/**
 * A gist of a job, and whether it has been counted yet.
 *
 * @param outcome empty while the gist is pending
 * @param revision how many times a later listing pass found the gist's files changed; a
 * scan records its outcome only while the revision it read is still the gist's
 */
public record JobGist(UUID jobId, GistRef gist, Optional<GistOutcome> outcome, int revision) {

	public JobGist(UUID jobId, GistRef gist, Optional<GistOutcome> outcome) {
		this(jobId, gist, outcome, 0);
	}

	public boolean pending() {
		return this.outcome.isEmpty();
	}

}
