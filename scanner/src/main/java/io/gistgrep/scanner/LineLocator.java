package io.gistgrep.scanner;

/**
 * Finds the line of each match, moving forward only: matches arrive in order, so the text
 * is walked once however many matches are located.
 */
final class LineLocator {

	private final String text;

	private int lineNumber;

	private int lineStart = 0;

	LineLocator(String text, int firstLineNumber) {
		this.text = text;
		this.lineNumber = firstLineNumber;
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
