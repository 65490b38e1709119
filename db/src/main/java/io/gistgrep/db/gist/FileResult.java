package io.gistgrep.db.gist;

import java.util.List;

import io.gistgrep.scanner.LineMatch;
import org.jspecify.annotations.Nullable;

/**
 * One file's outcome within a gist's scan.
 *
 * @param skipReason why the file was not searched, null when it was
 * @param matchCount all matches in the file
 * @param matches the stored ones
 */
public record FileResult(GistFile file, @Nullable String skipReason, int matchCount, List<LineMatch> matches) {

	public FileResult {
		matches = List.copyOf(matches);
	}

}
