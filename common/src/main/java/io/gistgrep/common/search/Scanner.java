package io.gistgrep.common.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.re2j.Matcher;

/**
 * Searches one file's bytes for a pattern over the whole text, as Python's
 * {@code re.search} did: {@code ^} and {@code $} anchor at the text's ends unless the
 * pattern asks for {@code (?m)}. Line details are worked out only for the matches that
 * are stored.
 */
public final class Scanner {

	private final SearchPattern pattern;

	private final ScanLimits limits;

	public Scanner(SearchPattern pattern, ScanLimits limits) {
		this.pattern = pattern;
		this.limits = limits;
	}

	public FileScan scan(byte[] content) {
		if (looksBinary(content)) {
			return FileScan.skipped(FileScan.BINARY);
		}
		// Malformed UTF-8 becomes U+FFFD, as DESIGN.md asks.
		String text = new String(content, StandardCharsets.UTF_8);
		return scan(text);
	}

	public FileScan scan(String text) {
		Matcher matcher = this.pattern.compiled().matcher(text);
		List<LineMatch> stored = new ArrayList<>();
		LineLocator lines = new LineLocator(text);
		int count = 0;
		while (matcher.find()) {
			count++;
			if (stored.size() < this.limits.maxStoredMatches()) {
				stored.add(lines.locate(matcher.start(), matcher.end(), this.limits.maxLineText()));
			}
		}
		return new FileScan(null, count, stored);
	}

	private boolean looksBinary(byte[] content) {
		int n = Math.min(content.length, this.limits.binarySniffBytes());
		for (int i = 0; i < n; i++) {
			if (content[i] == 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Finds the line of each match, moving forward only: matches arrive in order, so the
	 * whole file is walked once however many matches are located.
	 */
	private static final class LineLocator {

		private final String text;

		private int lineNumber = 1;

		private int lineStart = 0;

		LineLocator(String text) {
			this.text = text;
		}

		LineMatch locate(int matchStart, int matchEnd, int maxText) {
			int nl;
			while ((nl = this.text.indexOf('\n', this.lineStart)) >= 0 && nl < matchStart) {
				this.lineNumber++;
				this.lineStart = nl + 1;
			}
			int lineEnd = (nl < 0) ? this.text.length() : nl;
			if (lineEnd > this.lineStart && this.text.charAt(lineEnd - 1) == '\r') {
				lineEnd--;
			}
			int end = Math.min(matchEnd, lineEnd);
			int start = Math.min(matchStart, end);
			int textFrom = this.lineStart;
			int textTo = lineEnd;
			if (textTo - textFrom > maxText) {
				int room = Math.max(0, maxText - (end - start));
				textFrom = Math.max(this.lineStart, start - room / 2);
				textTo = Math.min(lineEnd, textFrom + maxText);
				textFrom = Math.max(this.lineStart, textTo - maxText);
				// Never cut a surrogate pair in half.
				if (textFrom > this.lineStart && Character.isLowSurrogate(this.text.charAt(textFrom))) {
					textFrom++;
				}
				if (textTo < lineEnd && Character.isHighSurrogate(this.text.charAt(textTo - 1))) {
					textTo--;
				}
			}
			return new LineMatch(this.lineNumber, this.text.substring(textFrom, textTo),
					codePoints(this.lineStart, textFrom), codePoints(this.lineStart, start),
					codePoints(this.lineStart, end));
		}

		private int codePoints(int from, int to) {
			return this.text.codePointCount(from, to);
		}

	}

}
