package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * One file being searched: its bytes, the pattern's plan, the matches found so far and
 * the deadline of its time budget. Each {@link SearchMode} searches it its own way; what
 * they share is here.
 */
record Haystack(ScanPlan plan, Pattern whole, byte[] bytes, Found found, long deadline) {

	/**
	 * Whether the text holds a code point that folds to a folded needle's letter (a long
	 * s, a Kelvin sign), which the byte search does not see.
	 */
	boolean hasFoldEscape() {
		for (Prefilter escape : this.plan.foldEscapes) {
			if (escape.find(this.bytes, 0, this.bytes.length) >= 0) {
				return true;
			}
		}
		return false;
	}

	/** The engine over the whole text from {@code fromChar}, in one linear pass. */
	void searchWhole(int fromChar) {
		String text = new String(this.bytes, StandardCharsets.UTF_8);
		searchWhole(text, new GuardedText(text, this.deadline), new LineLocator(text, 1), fromChar);
	}

	void searchWhole(String text, GuardedText guarded, LineLocator lines, int fromChar) {
		Matcher matcher = this.whole.matcher(guarded);
		if (!matcher.find(fromChar)) {
			return;
		}
		do {
			this.found.add(lines, matcher.start(), matcher.end());
		}
		while (matcher.find());
	}

	/**
	 * The start of the line holding byte {@code p}, looking back no further than
	 * {@code floor}.
	 */
	static int lineStart(byte[] b, int p, int floor) {
		int i = p;
		while (i > floor && b[i - 1] != '\n') {
			i--;
		}
		return Math.max(i, 0);
	}

	/** The newline that ends the line holding byte {@code p}, or the text's end. */
	static int lineEnd(byte[] b, int p) {
		int i = p;
		while (i < b.length && b[i] != '\n') {
			i++;
		}
		return i;
	}

}
