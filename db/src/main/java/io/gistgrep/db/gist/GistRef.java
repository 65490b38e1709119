package io.gistgrep.db.gist;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A gist as listed.
 *
 * @param truncated GitHub cut the file list (more than 300 files)
 * @param gitPullUrl where to clone the gist from, if the listing said
 */
public record GistRef(String id, String htmlUrl, @Nullable String description, @Nullable Instant updatedAt,
		boolean truncated, List<GistFile> files, @Nullable String gitPullUrl) {

	public GistRef {
		files = List.copyOf(files);
	}

	public GistRef(String id, String htmlUrl, @Nullable String description, @Nullable Instant updatedAt,
			boolean truncated, List<GistFile> files) {
		this(id, htmlUrl, description, updatedAt, truncated, files, null);
	}

}
