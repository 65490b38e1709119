package io.gistgrep.db.gist;

import java.util.Optional;
import java.util.UUID;

/**
 * A gist of a job, and whether it has been counted yet.
 *
 * @param outcome empty while the gist is pending
 */
public record JobGist(UUID jobId, GistRef gist, Optional<GistOutcome> outcome) {

	public boolean pending() {
		return this.outcome.isEmpty();
	}

}
