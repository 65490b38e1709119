package io.gistgrep.db.gist;

import java.util.List;
import java.util.UUID;

import io.gistgrep.scanner.LineMatch;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The files and matches of a batch of recorded gists, written as arrays, one per column
 * ({@code unnest}): one statement for all files and one for all matches, without a JSON
 * document in between. Called by {@link GistRepository#finishAll} in its transaction.
 */
final class ResultInserts {

	private ResultInserts() {
	}

	/**
	 * Inserts the files and matches of recorded gists as arrays ({@code unnest}): one
	 * statement for all files, one for all matches, without a JSON document in between.
	 */
	static void insert(JdbcClient jdbc, List<GistFinish> recorded) {
		int files = 0;
		int matches = 0;
		for (GistFinish finish : recorded) {
			files += finish.files().size();
			for (FileResult result : finish.files()) {
				matches += result.matches().size();
			}
		}
		if (files == 0) {
			return;
		}
		FileColumns f = new FileColumns(files);
		MatchColumns m = new MatchColumns(matches);
		for (GistFinish finish : recorded) {
			for (FileResult result : finish.files()) {
				f.add(finish, result);
				m.add(finish, result);
			}
		}
		jdbc.sql(
				"""
						INSERT INTO gist_files (job_id, gist_id, filename, language, size, raw_url, status, skip_reason, match_count)
						SELECT * FROM unnest(cast(:jobIds AS uuid[]), cast(:gistIds AS text[]), cast(:filenames AS text[]),
							cast(:languages AS text[]), cast(:sizes AS bigint[]), cast(:rawUrls AS text[]),
							cast(:statuses AS text[]), cast(:skipReasons AS text[]), cast(:matchCounts AS integer[]))""")
			.param("jobIds", f.jobIds)
			.param("gistIds", f.gistIds)
			.param("filenames", f.filenames)
			.param("languages", f.languages)
			.param("sizes", f.sizes)
			.param("rawUrls", f.rawUrls)
			.param("statuses", f.statuses)
			.param("skipReasons", f.skipReasons)
			.param("matchCounts", f.matchCounts)
			.update();
		if (matches > 0) {
			jdbc.sql(
					"""
							INSERT INTO file_matches (job_id, gist_id, filename, ordinal, line, text, text_start, start_col, end_col)
							SELECT * FROM unnest(cast(:jobIds AS uuid[]), cast(:gistIds AS text[]), cast(:filenames AS text[]),
								cast(:ordinals AS integer[]), cast(:lines AS integer[]), cast(:texts AS text[]),
								cast(:textStarts AS integer[]), cast(:startCols AS integer[]), cast(:endCols AS integer[]))""")
				.param("jobIds", m.jobIds)
				.param("gistIds", m.gistIds)
				.param("filenames", m.filenames)
				.param("ordinals", m.ordinals)
				.param("lines", m.lines)
				.param("texts", m.texts)
				.param("textStarts", m.textStarts)
				.param("startCols", m.startCols)
				.param("endCols", m.endCols)
				.update();
		}
	}

	/** The gist_files rows of a batch, column by column. */
	private static final class FileColumns {

		final UUID[] jobIds;

		final String[] gistIds;

		final String[] filenames;

		final String[] languages;

		final long[] sizes;

		final String[] rawUrls;

		final String[] statuses;

		final String[] skipReasons;

		final int[] matchCounts;

		private int i;

		FileColumns(int n) {
			this.jobIds = new UUID[n];
			this.gistIds = new String[n];
			this.filenames = new String[n];
			this.languages = new String[n];
			this.sizes = new long[n];
			this.rawUrls = new String[n];
			this.statuses = new String[n];
			this.skipReasons = new String[n];
			this.matchCounts = new int[n];
		}

		void add(GistFinish finish, FileResult result) {
			GistFile file = result.file();
			this.jobIds[this.i] = finish.jobId();
			this.gistIds[this.i] = finish.gistId();
			this.filenames[this.i] = file.filename();
			this.languages[this.i] = file.language();
			this.sizes[this.i] = file.size();
			this.rawUrls[this.i] = file.rawUrl();
			this.statuses[this.i] = (result.skipReason() != null) ? "skipped" : "scanned";
			this.skipReasons[this.i] = result.skipReason();
			this.matchCounts[this.i] = result.matchCount();
			this.i++;
		}

	}

	/** The file_matches rows of a batch, column by column. */
	private static final class MatchColumns {

		final UUID[] jobIds;

		final String[] gistIds;

		final String[] filenames;

		final int[] ordinals;

		final int[] lines;

		final String[] texts;

		final int[] textStarts;

		final int[] startCols;

		final int[] endCols;

		private int i;

		MatchColumns(int n) {
			this.jobIds = new UUID[n];
			this.gistIds = new String[n];
			this.filenames = new String[n];
			this.ordinals = new int[n];
			this.lines = new int[n];
			this.texts = new String[n];
			this.textStarts = new int[n];
			this.startCols = new int[n];
			this.endCols = new int[n];
		}

		void add(GistFinish finish, FileResult result) {
			int ordinal = 0;
			for (LineMatch match : result.matches()) {
				this.jobIds[this.i] = finish.jobId();
				this.gistIds[this.i] = finish.gistId();
				this.filenames[this.i] = result.file().filename();
				this.ordinals[this.i] = ordinal++;
				this.lines[this.i] = match.line();
				this.texts[this.i] = match.text();
				this.textStarts[this.i] = match.textStart();
				this.startCols[this.i] = match.start();
				this.endCols[this.i] = match.end();
				this.i++;
			}
		}

	}

}
