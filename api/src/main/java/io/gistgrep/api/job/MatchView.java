package io.gistgrep.api.job;

import java.time.Instant;
import java.util.List;

import io.gistgrep.db.gist.MatchingGist;
import org.jspecify.annotations.Nullable;

/** One matching gist, as {@code GET /jobs/{id}/matches} lists it. */
record MatchView(String gistId, String htmlUrl, @Nullable String description, @Nullable Instant updatedAt,
		List<FileView> files) {

	static MatchView of(MatchingGist gist) {
		return new MatchView(gist.gistId(), gist.htmlUrl(), gist.description(), gist.updatedAt(),
				gist.files().stream().map(FileView::of).toList());
	}

	record FileView(String filename, @Nullable String language, long size, String downloadUrl, int matchCount,
			List<LineView> matches) {

		static FileView of(MatchingGist.File file) {
			return new FileView(file.filename(), file.language(), file.size(), file.rawUrl(), file.matchCount(),
					file.matches()
						.stream()
						.map((m) -> new LineView(m.line(), m.text(), m.start(), m.end(), m.textStart()))
						.toList());
		}

	}

	/**
	 * @param textStart where {@code text} begins within the line: 0 unless a long line
	 * was cut around the match
	 */
	record LineView(int line, String text, int start, int end, int textStart) {

	}

}
