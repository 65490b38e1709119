package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * {@link ScanPlan.Mode#ANCHORED}: every match starts at a candidate, so the engine is
 * tried anchored at each one past the last match, on a window of whole lines decoded
 * around it. An attempt that reads to the end of its window might have matched further,
 * so the file is then searched on as a whole text. Should the attempts read more than a
 * few times the text (many candidates whose attempts run long), one unanchored pass does
 * the rest, so the time stays linear.
 */
final class AnchoredMode implements SearchMode {

	/**
	 * Anchored attempts may read this many times the text before one linear pass replaces
	 * them.
	 */
	private static final int WORK_FACTOR = 4;

	/** Bytes decoded past an anchored candidate, to the end of that line. */
	private static final int WINDOW = 256;

	@Override
	public void search(Haystack haystack) {
		byte[] b = haystack.bytes();
		int n = b.length;
		Prefilter prefilter = haystack.plan().prefilter;
		Found found = haystack.found();
		long budget = (long) WORK_FACTOR * n + 4096;
		long spent = 0;
		Window window = null;
		int p = prefilter.find(b, 0, n);
		while (p >= 0) {
			if (window == null || p >= window.end) {
				if (window != null) {
					spent += window.guarded.reads();
				}
				// From the newline before the candidate's line, which assertions look at.
				int start = Math.max(0, Haystack.lineStart(b, p, (window != null) ? window.start : 0) - 1);
				window = new Window(b, start, Haystack.lineEnd(b, (int) Math.min(n, (long) p + WINDOW)),
						haystack.deadline());
			}
			int at = window.chars.at(p - window.start);
			if (at >= window.resumeAt) {
				if (spent + window.guarded.reads() > budget) {
					searchWhole(haystack, p, true);
					return;
				}
				Matcher matcher = anchoredAt(haystack.plan(), window.guarded, at, window.start + at == 0,
						window.end == n);
				if (window.end < n && window.guarded.furthest() >= window.text.length() - 1) {
					searchWhole(haystack, p, false);
					return;
				}
				if (matcher != null) {
					if (window.lines == null && found.storing()) {
						window.lines = new LineLocator(window.text, found.lineNumberAt(window.start));
					}
					int offset = at - ((window.start + at == 0) ? 0 : 1);
					int end = offset + matcher.end(ScanPlan.ANCHORED_GROUP);
					found.add(window.lines, offset + matcher.start(ScanPlan.ANCHORED_GROUP), end);
					window.resumeAt = Math.max(end, at + 1);
				}
			}
			p = prefilter.find(b, p + 1, n);
		}
	}

	/** The matcher positioned on a match starting exactly at {@code at}, or null. */
	private static Matcher anchoredAt(ScanPlan plan, GuardedText text, int at, boolean atTextStart, boolean atTextEnd) {
		Pattern anchored = plan.anchored(!atTextStart, atTextEnd);
		Matcher matcher = anchored.matcher(new TextView(text, atTextStart ? at : at - 1));
		return matcher.find() ? matcher : null;
	}

	/**
	 * The anchored search over the whole decoded text, from the candidate at byte
	 * {@code from}; or, when {@code unanchored}, one pass of the engine from there.
	 */
	private static void searchWhole(Haystack haystack, int from, boolean unanchored) {
		byte[] b = haystack.bytes();
		String text = new String(b, StandardCharsets.UTF_8);
		GuardedText guarded = new GuardedText(text, haystack.deadline());
		LineLocator lines = new LineLocator(text, 1);
		CharIndex chars = new CharIndex(b, text);
		if (unanchored) {
			haystack.searchWhole(text, guarded, lines, chars.at(from));
			return;
		}
		long budget = (long) WORK_FACTOR * text.length() + 4096;
		int resumeAt = 0;
		int p = from;
		while (p >= 0) {
			int at = chars.at(p);
			if (at >= resumeAt) {
				if (guarded.reads() > budget) {
					haystack.searchWhole(text, guarded, lines, at);
					return;
				}
				Matcher matcher = anchoredAt(haystack.plan(), guarded, at, at == 0, true);
				if (matcher != null) {
					int offset = (at == 0) ? 0 : at - 1;
					int end = offset + matcher.end(ScanPlan.ANCHORED_GROUP);
					haystack.found().add(lines, offset + matcher.start(ScanPlan.ANCHORED_GROUP), end);
					resumeAt = Math.max(end, at + 1);
				}
			}
			p = haystack.plan().prefilter.find(b, p + 1, b.length);
		}
	}

	/** Whole lines of the file around anchored candidates, decoded. */
	private static final class Window {

		final int start;

		final int end;

		final String text;

		final GuardedText guarded;

		final CharIndex chars;

		LineLocator lines;

		int resumeAt;

		Window(byte[] bytes, int start, int end, long deadline) {
			this.start = start;
			this.end = end;
			byte[] slice = Arrays.copyOfRange(bytes, start, end);
			this.text = new String(slice, StandardCharsets.UTF_8);
			this.guarded = new GuardedText(this.text, deadline);
			this.chars = new CharIndex(slice, this.text);
		}

	}

}
