package io.gistgrep.cli.output;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

/**
 * The live line on stderr while {@code gistgrep search} waits: gists scanned of the
 * total, matched so far, elapsed time, and when GitHub holds the job back, until when.
 * Redrawn in place with a carriage return; drawn only on a terminal.
 */
public final class ProgressBar {

	private static final int BAR_CELLS = 20;

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final PrintStream err;

	private final int columns;

	private final ZoneId zone;

	private final boolean unicode;

	private String shown = "";

	/**
	 * @param err the terminal's stderr
	 * @param columns the terminal's width: the line is cut to fit, or it would wrap and
	 * every redraw would leave a line behind
	 * @param zone the time zone for "until 14:05:12"
	 */
	public ProgressBar(PrintStream err, int columns, ZoneId zone) {
		this.err = err;
		this.columns = columns;
		this.zone = zone;
		this.unicode = unicode(err.charset());
	}

	/** Draws the job's progress, if it changed since the last draw. */
	public void show(JsonNode job, Duration elapsed) {
		String line = line(job, elapsed);
		if (!line.equals(this.shown)) {
			this.err.print("\r" + line + "\u001b[K");
			this.err.flush();
			this.shown = line;
		}
	}

	/** Takes the line away, so that what is printed next starts on a clean line. */
	public void clear() {
		if (!this.shown.isEmpty()) {
			this.err.print("\r\u001b[K");
			this.err.flush();
			this.shown = "";
		}
	}

	/** The line for a job document, cut to the terminal's width. */
	String line(JsonNode job, Duration elapsed) {
		JsonNode progress = job.path("progress");
		int scanned = progress.path("gists_scanned").asInt();
		int matched = progress.path("gists_matched").asInt();
		int skipped = progress.path("gists_skipped").asInt();
		int failed = progress.path("gists_failed").asInt();
		String dot = this.unicode ? " · " : " - ";
		StringBuilder line = new StringBuilder();
		String status = job.path("status").asString();
		if (status.equals("queued")) {
			line.append("queued");
		}
		else if (progress.path("gists_total").isNumber()) {
			int total = progress.path("gists_total").asInt();
			int done = scanned + skipped + failed;
			line.append(bar(done, total)).append(' ').append(done).append('/').append(total).append(" gists");
		}
		else {
			line.append("listing gists")
				.append(this.unicode ? "…" : "...")
				.append(' ')
				.append(scanned)
				.append(" scanned");
		}
		if (!status.equals("queued")) {
			line.append(dot).append(matched).append(" matched");
		}
		if (skipped > 0) {
			line.append(dot).append(skipped).append(" skipped");
		}
		if (failed > 0) {
			line.append(dot).append(failed).append(" failed");
		}
		line.append(dot).append(clock(elapsed));
		String waiting = progress.path("waiting_for_github_until").asString("");
		if (!waiting.isEmpty()) {
			line.append(dot).append("waiting for GitHub until ").append(localTime(waiting));
		}
		int room = Math.max(this.columns - 1, 10);
		return (line.length() > room) ? line.substring(0, room) : line.toString();
	}

	private String bar(int done, int total) {
		int filled = (total == 0) ? BAR_CELLS : (int) Math.min(BAR_CELLS, (long) done * BAR_CELLS / total);
		char full = this.unicode ? '█' : '#';
		char empty = this.unicode ? '░' : '-';
		return "[" + String.valueOf(full).repeat(filled) + String.valueOf(empty).repeat(BAR_CELLS - filled) + "]";
	}

	private String localTime(String instant) {
		try {
			return CLOCK.format(Instant.parse(instant).atZone(this.zone));
		}
		catch (DateTimeParseException ex) {
			return instant;
		}
	}

	/** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
	static String clock(Duration elapsed) {
		long seconds = elapsed.toSeconds();
		return (seconds >= 3600) ? "%d:%02d:%02d".formatted(seconds / 3600, seconds / 60 % 60, seconds % 60)
				: "%d:%02d".formatted(seconds / 60, seconds % 60);
	}

	static boolean unicode(Charset charset) {
		return charset.newEncoder().canEncode("█░…·");
	}

}
