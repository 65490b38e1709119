package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Candidates' regions ({@link LinesMode their lines}, or {@link WindowsMode their bounded
 * windows} widened to whole lines) are merged where they overlap and searched one by one.
 * Every match lies in one region, and a region starts and ends at a line boundary or the
 * text's ends, so the engine sees the same context as it would in the whole text.
 */
abstract sealed class RegionMode implements SearchMode permits LinesMode, WindowsMode {

	/** Whether the region may hold a match, before it is decoded. */
	boolean admits(Haystack haystack, int start, int end) {
		return true;
	}

	final void searchRegion(Haystack haystack, int start, int end) {
		ScanTimeoutException.check(haystack.deadline());
		if (!admits(haystack, start, end)) {
			return;
		}
		byte[] bytes = haystack.bytes();
		String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
		if (backtrack(haystack, text, start, end)) {
			return;
		}
		Pattern variant = haystack.plan().variant(start == 0, end == bytes.length);
		Matcher matcher = variant.matcher(new GuardedText(text, haystack.deadline()));
		Found found = haystack.found();
		LineLocator located = null;
		while (matcher.find()) {
			if (located == null && found.storing()) {
				located = new LineLocator(text, found.lineNumberAt(start));
			}
			found.add(located, matcher.start(), matcher.end());
		}
	}

	/**
	 * Searches a region with the backtracker; false (and nothing found) when it does not
	 * fit or gives up, for re2j to search it.
	 */
	private static boolean backtrack(Haystack haystack, String text, int start, int end) {
		Backtracker backtracker = haystack.plan().backtracker;
		if (backtracker == null || !backtracker.fits(text.length())) {
			return false;
		}
		Backtracker.Search search = backtracker.new Search(text, start == 0, end == haystack.bytes().length,
				haystack.deadline());
		int[] spans = new int[8];
		int n = 0;
		int from = 0;
		while (from <= text.length()) {
			int s = search.find(from);
			if (s == -2) {
				return false;
			}
			if (s < 0) {
				break;
			}
			if (n + 2 > spans.length) {
				spans = Arrays.copyOf(spans, spans.length * 2);
			}
			spans[n++] = s;
			spans[n++] = search.matchEnd;
			from = (search.matchEnd > s) ? search.matchEnd : s + 1;
		}
		Found found = haystack.found();
		LineLocator located = null;
		for (int i = 0; i < n; i += 2) {
			if (located == null && found.storing()) {
				located = new LineLocator(text, found.lineNumberAt(start));
			}
			found.add(located, spans[i], spans[i + 1]);
		}
		return true;
	}

}
