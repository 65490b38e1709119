package io.gistgrep.db.gist;

import java.time.Instant;
import java.util.List;

import io.gistgrep.scanner.LineMatch;
import org.jspecify.annotations.Nullable;

/** A gist that matched, with its matching files, as the matches endpoint lists it. */
public record MatchingGist(String gistId, String htmlUrl, @Nullable String description, @Nullable Instant updatedAt,
		List<File> files) {

	public record File(String filename, @Nullable String language, long size, String rawUrl, int matchCount,
			List<LineMatch> matches) {

	}

}
