package io.gistgrep.cli.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.gistgrep.cli.client.ApiClient;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Prints a job's matches in the format the user asked for, reading them from the api a
 * page at a time (or as one stream for NDJSON): memory stays flat whatever the job's
 * size.
 */
public final class MatchPrinter {

	/** What is printed. */
	public enum Format {

		/** {@code <user>/<gist_id>/<file>:<line>: <text>}, one line per matching line. */
		GREP,
		/** The download URL of each matching file. */
		FILES,
		/** {@code <user>/<gist_id>:<count>}, one line per matching gist. */
		COUNT,
		/** One document: {@code {"job": …, "matches": [ … ]}}. */
		JSON,
		/** The api's NDJSON export, as it comes. */
		NDJSON

	}

	/** The largest page the api gives. */
	private static final int PAGE = 1000;

	private final ApiClient client;

	private final Format format;

	private final Grep grep;

	private final PrintStream out;

	private final Consumer<String> notices;

	/**
	 * @param notices one-line notes for stderr, such as a file whose matches the server
	 * capped
	 */
	public MatchPrinter(ApiClient client, Format format, Grep grep, PrintStream out, Consumer<String> notices) {
		this.client = client;
		this.format = format;
		this.grep = grep;
		this.out = out;
		this.notices = notices;
	}

	/**
	 * Prints the matches of {@code job} (its document); answers how many matching gists
	 * there were.
	 */
	public long print(JsonNode job) {
		String id = job.path("id").asString();
		long gists = switch (this.format) {
			case NDJSON -> ndjson(id);
			case JSON -> json(job);
			case GREP, FILES, COUNT -> lines(id, job.path("username").asString());
		};
		this.out.flush();
		return gists;
	}

	private long lines(String id, String user) {
		long gists = 0;
		String cursor = null;
		do {
			JsonNode page = this.client.matches(id, PAGE, cursor);
			for (JsonNode gist : page.path("data")) {
				gists++;
				switch (this.format) {
					case GREP -> grepLines(user, gist);
					case FILES -> gist.path("files")
						.forEach((file) -> this.out.println(this.grep.plain(file.path("download_url").asString())));
					default -> countLine(user, gist);
				}
			}
			// PrintStream never throws: a reader that went away (| head) shows only here,
			// and the rest of a big job's pages would be fetched for nobody.
			cursor = this.out.checkError() ? null : ApiClient.nextCursor(page).orElse(null);
		}
		while (cursor != null);
		return gists;
	}

	private void grepLines(String user, JsonNode gist) {
		for (JsonNode file : gist.path("files")) {
			String where = user + "/" + gist.path("gist_id").asString() + "/" + file.path("filename").asString();
			// One output line per line of the file, with every match on it highlighted,
			// as
			// grep does; the api lists one entry per match.
			Map<Integer, List<JsonNode>> byLine = new LinkedHashMap<>();
			for (JsonNode match : file.path("matches")) {
				byLine.computeIfAbsent(match.path("line").asInt(), (line) -> new ArrayList<>()).add(match);
			}
			byLine.forEach((line, matches) -> {
				JsonNode first = matches.getFirst();
				List<Grep.Span> spans = new ArrayList<>();
				for (JsonNode match : matches) {
					if (match.path("text").asString().equals(first.path("text").asString())) {
						int from = match.path("text_start").asInt();
						spans.add(new Grep.Span(match.path("start").asInt() - from, match.path("end").asInt() - from));
					}
				}
				this.out.println(this.grep.line(where, line, first.path("text").asString(), spans));
			});
			int stored = file.path("matches").size();
			int all = file.path("match_count").asInt(stored);
			if (all > stored) {
				this.notices.accept(this.grep.plain(where) + " has " + all + " matches; the server keeps the first "
						+ stored + " of each file");
			}
		}
	}

	private void countLine(String user, JsonNode gist) {
		long count = 0;
		for (JsonNode file : gist.path("files")) {
			count += file.path("match_count").asLong();
		}
		this.out.println(this.grep.plain(user + "/" + gist.path("gist_id").asString()) + ":" + count);
	}

	/** Streamed out as it is read: a job's matches may not fit in memory. */
	private long json(JsonNode job) {
		long gists = 0;
		// Not closed: that would close stdout.
		JsonGenerator generator = this.client.json().writerWithDefaultPrettyPrinter().createGenerator(this.out);
		generator.writeStartObject();
		generator.writeName("job");
		generator.writeTree(job);
		generator.writeName("matches");
		generator.writeStartArray();
		String cursor = null;
		do {
			JsonNode page = this.client.matches(job.path("id").asString(), PAGE, cursor);
			for (JsonNode gist : page.path("data")) {
				generator.writeTree(gist);
				gists++;
			}
			generator.flush();
			cursor = this.out.checkError() ? null : ApiClient.nextCursor(page).orElse(null);
		}
		while (cursor != null);
		generator.writeEndArray();
		generator.writeEndObject();
		generator.flush();
		this.out.println();
		return gists;
	}

	/** The export's bytes copied as they come; its lines counted. */
	private long ndjson(String id) {
		long lines = 0;
		try (InputStream in = this.client.exportMatches(id)) {
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
				this.out.write(buffer, 0, n);
				if (this.out.checkError()) {
					break;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the export of job " + id + " broke off: " + ex.getMessage(), ex);
		}
		return lines;
	}

}
