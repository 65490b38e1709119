package io.gistgrep.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A user adding, deleting and editing gists, as {@link GitHubSim} offers it to tests.
 * GitHub lists a user's gists newest created first: an added gist goes to the top of the
 * first page and shifts every later one down; a deleted gist shifts the ones after it up;
 * an edit keeps the gist's place but gives changed files new blob SHAs (so new
 * {@code raw_url}s) and the gist a new {@code updated_at}.
 */
final class GistChanges {

	private final UserDirectory users;

	GistChanges(UserDirectory users) {
		this.users = users;
	}

	SimGist add(String login, SimGist gist) {
		if (this.users.gist(gist.id()).isPresent()) {
			throw new IllegalArgumentException("The simulator has a gist " + gist.id() + " already");
		}
		this.users.change(login, (gists) -> {
			gists.add(gist);
			return gists;
		});
		return gist;
	}

	void delete(String login, String gistId) {
		this.users.change(login, (gists) -> {
			if (!gists.removeIf((gist) -> gist.id().equals(gistId))) {
				throw new IllegalArgumentException(login + " has no gist " + gistId);
			}
			return gists;
		});
	}

	/** Appends a line to the gist's first file. */
	SimGist edit(String login, String gistId) {
		return edit(login, gistId, (gist) -> {
			List<SimFile> files = new ArrayList<>(gist.files());
			SimFile first = files.getFirst();
			String edited = new String(first.content(), StandardCharsets.UTF_8) + "\nedited at " + Instant.now() + "\n";
			files.set(0, new SimFile(first.filename(), edited.getBytes(StandardCharsets.UTF_8), first.language(),
					first.type()));
			return files;
		});
	}

	SimGist edit(String login, String gistId, Function<SimGist, List<SimFile>> newFiles) {
		SimGist[] edited = new SimGist[1];
		this.users.change(login, (gists) -> {
			int index = IntStream.range(0, gists.size())
				.filter((i) -> gists.get(i).id().equals(gistId))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(login + " has no gist " + gistId));
			SimGist gist = gists.get(index);
			// A second edit within the same second still moves updated_at (whole
			// seconds).
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			Instant updatedAt = now.isAfter(gist.updatedAt()) ? now : gist.updatedAt().plusSeconds(1);
			edited[0] = new SimGist(gist.id(), gist.description(), gist.createdAt(), updatedAt, newFiles.apply(gist));
			gists.set(index, edited[0]);
			return gists;
		});
		return edited[0];
	}

}
