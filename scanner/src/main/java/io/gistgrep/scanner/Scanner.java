package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;

/**
 * Searches one file's bytes for a pattern over the whole text, as Python's
 * {@code re.search} did: {@code ^} and {@code $} anchor at the text's ends unless the
 * pattern asks for {@code (?m)}.
 * <p>
 * The pattern's {@link ScanPlan} says what every match must contain; that is searched for
 * in the raw UTF-8 bytes, and only the text around what it finds is decoded and given to
 * a regex engine: RE2's bounded backtracker ({@link Backtracker}) for regions, re2j for
 * the rest; both take time linear in the text. What text the engine is given is the
 * plan's {@link ScanPlan.Mode}, searched by that mode's {@link SearchMode}. Line details
 * are worked out only for the matches that are stored. A file that runs over its time
 * budget is reported skipped with {@link FileScan#SCAN_TIMEOUT}.
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
		return search(content);
	}

	/** Searches a text that is already decoded; it is not checked for being binary. */
	public FileScan scan(String text) {
		return search(text.getBytes(StandardCharsets.UTF_8));
	}

	private FileScan search(byte[] content) {
		long deadline = System.nanoTime() + this.limits.fileTimeBudget().toNanos();
		Found found = new Found(content, this.limits);
		ScanPlan plan = this.pattern.plan();
		Haystack haystack = new Haystack(plan, this.pattern.compiled(), content, found, deadline);
		try {
			// A long s or a Kelvin sign can stand for a folded needle's letter, which the
			// byte search does not see: such a text is searched whole.
			SearchMode mode = (plan.mode != ScanPlan.Mode.FULL && haystack.hasFoldEscape()) ? ScanPlan.Mode.FULL.search
					: plan.mode.search;
			mode.search(haystack);
		}
		catch (ScanTimeoutException ex) {
			return FileScan.skipped(FileScan.SCAN_TIMEOUT);
		}
		return new FileScan(null, found.count(), found.stored());
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

}
