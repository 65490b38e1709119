package io.gistgrep.cli.output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One match line as grep prints it: {@code <user>/<gist_id>/<file>:<line>: <text>}, with
 * grep's default colours when asked (file magenta, line number green, separators cyan,
 * matches bold red).
 *
 * @param color write ANSI colours
 * @param escapeControls show control characters as {@code ^X} (and others as {@code ?}):
 * on a terminal, a gist's text must not be able to move the cursor, retitle the window or
 * worse through escape sequences
 */
public record Grep(boolean color, boolean escapeControls) {

	private static final String FILE = "\u001b[35m";

	private static final String LINE_NUMBER = "\u001b[32m";

	private static final String SEPARATOR = "\u001b[36m";

	private static final String MATCH = "\u001b[01;31m";

	private static final String RESET = "\u001b[m";

	/**
	 * A span of a line that matched, in code points from the start of the stored text.
	 */
	public record Span(int start, int end) {

	}

	/**
	 * The line to print.
	 * @param where {@code <user>/<gist_id>/<file>}
	 * @param lineNumber 1-based
	 * @param text the line's stored text
	 * @param spans the matches within {@code text}, in code points, in any order
	 */
	public String line(String where, int lineNumber, String text, List<Span> spans) {
		StringBuilder out = new StringBuilder(where.length() + text.length() + 32);
		paint(out, FILE, plain(where));
		paint(out, SEPARATOR, ":");
		paint(out, LINE_NUMBER, Integer.toString(lineNumber));
		paint(out, SEPARATOR, ":");
		out.append(' ');
		int cursor = 0;
		int length = text.codePointCount(0, text.length());
		for (Span span : merged(spans, length)) {
			out.append(plain(slice(text, cursor, span.start())));
			paint(out, MATCH, plain(slice(text, span.start(), span.end())));
			cursor = span.end();
		}
		out.append(plain(slice(text, cursor, length)));
		return out.toString();
	}

	/** A path or URL, with control characters neutralised when on a terminal. */
	public String plain(String text) {
		return this.escapeControls ? harmless(text) : text;
	}

	/**
	 * {@code text} with its control characters shown as {@code ^X} (C1 ones as
	 * {@code ?}): nothing in it can reach a terminal as an escape sequence.
	 */
	public static String harmless(String text) {
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0);
			if (control && out == null) {
				out = new StringBuilder(text.length() + 8).append(text, 0, i);
			}
			if (out != null) {
				if (!control) {
					out.append(c);
				}
				else if (c < 0x20) {
					out.append('^').append((char) (c + '@'));
				}
				else {
					out.append((c == 0x7f) ? "^?" : "?");
				}
			}
		}
		return (out != null) ? out.toString() : text;
	}

	private void paint(StringBuilder out, String colour, String text) {
		if (this.color && !text.isEmpty()) {
			out.append(colour).append(text).append(RESET);
		}
		else {
			out.append(text);
		}
	}

	/** Spans clamped to the text, sorted, overlapping ones joined. */
	private static List<Span> merged(List<Span> spans, int length) {
		List<Span> sorted = spans.stream()
			.map((s) -> new Span(Math.clamp(s.start(), 0, length), Math.clamp(s.end(), 0, length)))
			.filter((s) -> s.end() > s.start())
			.sorted(Comparator.comparingInt(Span::start))
			.toList();
		List<Span> merged = new ArrayList<>();
		for (Span span : sorted) {
			if (!merged.isEmpty() && span.start() <= merged.getLast().end()) {
				Span last = merged.removeLast();
				merged.add(new Span(last.start(), Math.max(last.end(), span.end())));
			}
			else {
				merged.add(span);
			}
		}
		return merged;
	}

	/** Code points {@code from} to {@code to} of {@code text}. */
	private static String slice(String text, int from, int to) {
		int begin = text.offsetByCodePoints(0, from);
		return text.substring(begin, text.offsetByCodePoints(begin, to - from));
	}

}
