package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Searches one file's bytes for a pattern over the whole text, as Python's
 * {@code re.search} did: {@code ^} and {@code $} anchor at the text's ends unless the
 * pattern asks for {@code (?m)}.
 * <p>
 * The pattern's {@link ScanPlan} says what every match must contain; that is searched for
 * in the raw UTF-8 bytes, and only the text around what it finds is decoded and given to
 * a regex engine: RE2's bounded backtracker ({@link Backtracker}) for regions, re2j for
 * the rest; both take time linear in the text. Line details are worked out only for the
 * matches that are stored. A file that runs over its time budget is reported skipped with
 * {@link FileScan#SCAN_TIMEOUT}.
 */
public final class Scanner {

	/**
	 * Anchored attempts may read this many times the text before one linear pass replaces
	 * them.
	 */
	private static final int ANCHORED_WORK_FACTOR = 4;

	/** Bytes decoded past an anchored candidate, to the end of that line. */
	private static final int ANCHORED_WINDOW = 256;

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
		try {
			new Search(this.pattern.plan(), this.pattern.compiled(), content, found, deadline).run();
		}
		catch (ScanTimeoutException ex) {
			return FileScan.skipped(FileScan.SCAN_TIMEOUT);
		}
		return new FileScan(null, found.count, found.stored);
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

	/** One file's search. */
	private static final class Search {

		private final ScanPlan plan;

		private final Pattern whole;

		private final byte[] bytes;

		private final Found found;

		private final long deadline;

		Search(ScanPlan plan, Pattern whole, byte[] bytes, Found found, long deadline) {
			this.plan = plan;
			this.whole = whole;
			this.bytes = bytes;
			this.found = found;
			this.deadline = deadline;
		}

		void run() {
			ScanPlan.Mode mode = this.plan.mode;
			if (mode != ScanPlan.Mode.FULL && hasFoldEscape()) {
				// A long s or a Kelvin sign can stand for a folded needle's letter, which
				// the
				// byte search does not see: search the whole text.
				mode = ScanPlan.Mode.FULL;
			}
			switch (mode) {
				case FULL -> searchWhole(0);
				case FULL_IF_CANDIDATE -> {
					if (this.plan.prefilter.find(this.bytes, 0, this.bytes.length) >= 0) {
						searchWhole(0);
					}
				}
				case LITERALS -> searchLiterals();
				case LINES, WINDOWS -> searchRegions(mode == ScanPlan.Mode.LINES);
				case ANCHORED -> searchAnchored();
			}
		}

		private boolean hasFoldEscape() {
			for (Prefilter escape : this.plan.foldEscapes) {
				if (escape.find(this.bytes, 0, this.bytes.length) >= 0) {
					return true;
				}
			}
			return false;
		}

		/** The engine over the whole text from {@code fromChar}, in one linear pass. */
		private void searchWhole(int fromChar) {
			String text = new String(this.bytes, StandardCharsets.UTF_8);
			searchWhole(text, new GuardedText(text, this.deadline), new LineLocator(text, 1), fromChar);
		}

		private void searchWhole(String text, GuardedText guarded, LineLocator lines, int fromChar) {
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
		 * The prefilter's finds are the matches: only which literal fits is left to tell.
		 */
		private void searchLiterals() {
			byte[] b = this.bytes;
			int n = b.length;
			int p = this.plan.prefilter.find(b, 0, n);
			while (p >= 0) {
				int next = p + 1;
				for (Needle needle : this.plan.literals) {
					if (p + needle.length() <= n && needle.isAt(b, p)) {
						this.found.addBytes(p, p + needle.length());
						next = p + needle.length();
						break;
					}
				}
				if ((this.found.count & 1023) == 0) {
					ScanTimeoutException.check(this.deadline);
				}
				p = (next < n) ? this.plan.prefilter.find(b, next, n) : -1;
			}
		}

		/**
		 * Candidates' regions (their lines, or their bounded windows widened to whole
		 * lines) are merged where they overlap and searched one by one. Every match lies
		 * in one region, and a region starts and ends at a line boundary or the text's
		 * ends, so the engine sees the same context as it would in the whole text.
		 */
		private void searchRegions(boolean lines) {
			byte[] b = this.bytes;
			int n = b.length;
			Prefilter prefilter = this.plan.prefilter;
			int regionStart = -1;
			int regionEnd = -1;
			int p = prefilter.find(b, 0, n);
			while (p >= 0) {
				int next;
				if (lines) {
					int start = lineStart(b, p, regionEnd + 1);
					int end = lineEnd(b, p);
					if (regionStart >= 0) {
						searchRegion(regionStart, regionEnd, true);
					}
					regionStart = start;
					regionEnd = end;
					next = end + 1;
				}
				else {
					long from = Math.max(0L, (long) p - this.plan.beforeBytes);
					long to = Math.min(n, (long) p + prefilter.width() + this.plan.afterBytes);
					if (regionStart >= 0 && from <= regionEnd) {
						if (to > regionEnd) {
							regionEnd = lineEnd(b, (int) to);
						}
					}
					else {
						if (regionStart >= 0) {
							searchRegion(regionStart, regionEnd, false);
						}
						regionStart = lineStart(b, (int) from, regionEnd + 1);
						regionEnd = lineEnd(b, Math.max((int) to, regionStart));
					}
					next = p + 1;
				}
				p = (next < n) ? prefilter.find(b, next, n) : -1;
			}
			if (regionStart >= 0) {
				searchRegion(regionStart, regionEnd, lines);
			}
		}

		private void searchRegion(int start, int end, boolean lines) {
			ScanTimeoutException.check(this.deadline);
			if (lines) {
				for (Prefilter also : this.plan.alsoRequired) {
					if (also.find(this.bytes, start, end) < 0) {
						return;
					}
				}
			}
			String text = new String(this.bytes, start, end - start, StandardCharsets.UTF_8);
			if (backtrack(text, start, end)) {
				return;
			}
			Pattern variant = this.plan.variant(start == 0, end == this.bytes.length);
			Matcher matcher = variant.matcher(new GuardedText(text, this.deadline));
			LineLocator located = null;
			while (matcher.find()) {
				if (located == null && this.found.storing()) {
					located = new LineLocator(text, this.found.lineNumberAt(start));
				}
				this.found.add(located, matcher.start(), matcher.end());
			}
		}

		/**
		 * Searches a region with the backtracker; false (and nothing found) when it does
		 * not fit or gives up, for re2j to search it.
		 */
		private boolean backtrack(String text, int start, int end) {
			Backtracker backtracker = this.plan.backtracker;
			if (backtracker == null || !backtracker.fits(text.length())) {
				return false;
			}
			Backtracker.Search search = backtracker.new Search(text, start == 0, end == this.bytes.length,
					this.deadline);
			int[] found = new int[8];
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
				if (n + 2 > found.length) {
					found = java.util.Arrays.copyOf(found, found.length * 2);
				}
				found[n++] = s;
				found[n++] = search.matchEnd;
				from = (search.matchEnd > s) ? search.matchEnd : s + 1;
			}
			LineLocator located = null;
			for (int i = 0; i < n; i += 2) {
				if (located == null && this.found.storing()) {
					located = new LineLocator(text, this.found.lineNumberAt(start));
				}
				this.found.add(located, found[i], found[i + 1]);
			}
			return true;
		}

		/**
		 * Every match starts at a candidate: the engine is tried anchored at each one
		 * past the last match, on a window of whole lines decoded around it. An attempt
		 * that reads to the end of its window might have matched further, so the file is
		 * then searched on as a whole text. Should the attempts read more than a few
		 * times the text (many candidates whose attempts run long), one unanchored pass
		 * does the rest, so the time stays linear.
		 */
		private void searchAnchored() {
			byte[] b = this.bytes;
			int n = b.length;
			long budget = (long) ANCHORED_WORK_FACTOR * n + 4096;
			long spent = 0;
			Window window = null;
			int p = this.plan.prefilter.find(b, 0, n);
			while (p >= 0) {
				if (window == null || p >= window.end) {
					if (window != null) {
						spent += window.guarded.reads();
					}
					// From the newline before the candidate's line, which assertions look
					// at.
					int start = Math.max(0, lineStart(b, p, (window != null) ? window.start : 0) - 1);
					window = new Window(b, start, lineEnd(b, (int) Math.min(n, (long) p + ANCHORED_WINDOW)),
							this.deadline);
				}
				int at = window.chars.at(p - window.start);
				if (at >= window.resumeAt) {
					if (spent + window.guarded.reads() > budget) {
						searchAnchoredWhole(p, true);
						return;
					}
					Matcher matcher = anchoredAt(window.guarded, at, window.start + at == 0, window.end == n);
					if (window.end < n && window.guarded.furthest() >= window.text.length() - 1) {
						searchAnchoredWhole(p, false);
						return;
					}
					if (matcher != null) {
						if (window.lines == null && this.found.storing()) {
							window.lines = new LineLocator(window.text, this.found.lineNumberAt(window.start));
						}
						int offset = at - ((window.start + at == 0) ? 0 : 1);
						int end = offset + matcher.end(ScanPlan.ANCHORED_GROUP);
						this.found.add(window.lines, offset + matcher.start(ScanPlan.ANCHORED_GROUP), end);
						window.resumeAt = Math.max(end, at + 1);
					}
				}
				p = this.plan.prefilter.find(b, p + 1, n);
			}
		}

		/** The matcher positioned on a match starting exactly at {@code at}, or null. */
		private Matcher anchoredAt(GuardedText text, int at, boolean atTextStart, boolean atTextEnd) {
			Pattern anchored = this.plan.anchored(!atTextStart, atTextEnd);
			Matcher matcher = anchored.matcher(new TextView(text, atTextStart ? at : at - 1));
			return matcher.find() ? matcher : null;
		}

		/**
		 * The anchored search over the whole decoded text, from the candidate at byte
		 * {@code from}; or, when {@code unanchored}, one pass of the engine from there.
		 */
		private void searchAnchoredWhole(int from, boolean unanchored) {
			byte[] b = this.bytes;
			String text = new String(b, StandardCharsets.UTF_8);
			GuardedText guarded = new GuardedText(text, this.deadline);
			LineLocator lines = new LineLocator(text, 1);
			CharIndex chars = new CharIndex(b, text);
			if (unanchored) {
				searchWhole(text, guarded, lines, chars.at(from));
				return;
			}
			long budget = (long) ANCHORED_WORK_FACTOR * text.length() + 4096;
			int resumeAt = 0;
			int p = from;
			while (p >= 0) {
				int at = chars.at(p);
				if (at >= resumeAt) {
					if (guarded.reads() > budget) {
						searchWhole(text, guarded, lines, at);
						return;
					}
					Matcher matcher = anchoredAt(guarded, at, at == 0, true);
					if (matcher != null) {
						int offset = (at == 0) ? 0 : at - 1;
						int end = offset + matcher.end(ScanPlan.ANCHORED_GROUP);
						this.found.add(lines, offset + matcher.start(ScanPlan.ANCHORED_GROUP), end);
						resumeAt = Math.max(end, at + 1);
					}
				}
				p = this.plan.prefilter.find(b, p + 1, b.length);
			}
		}

		private static int lineStart(byte[] b, int p, int floor) {
			int i = p;
			while (i > floor && b[i - 1] != '\n') {
				i--;
			}
			return Math.max(i, 0);
		}

		private static int lineEnd(byte[] b, int p) {
			int i = p;
			while (i < b.length && b[i] != '\n') {
				i++;
			}
			return i;
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
			byte[] slice = java.util.Arrays.copyOfRange(bytes, start, end);
			this.text = new String(slice, StandardCharsets.UTF_8);
			this.guarded = new GuardedText(this.text, deadline);
			this.chars = new CharIndex(slice, this.text);
		}

	}

	/**
	 * Maps byte offsets of the UTF-8 file to char offsets of its decoded text, moving
	 * forward only.
	 */
	private static final class CharIndex {

		private final byte[] bytes;

		private final boolean identity;

		private final boolean wellFormed;

		private int bytePos;

		private int charPos;

		CharIndex(byte[] bytes, String text) {
			this.bytes = bytes;
			// Without replacement characters the bytes were well-formed UTF-8; with as
			// many chars as bytes they were then all ASCII.
			this.wellFormed = text.indexOf('\uFFFD') < 0;
			this.identity = this.wellFormed && text.length() == bytes.length;
		}

		int at(int byteOffset) {
			if (this.identity) {
				return byteOffset;
			}
			if (this.wellFormed) {
				for (int i = this.bytePos; i < byteOffset; i++) {
					int b = this.bytes[i];
					if ((b & 0xC0) != 0x80) {
						this.charPos++;
					}
					if ((b & 0xF8) == 0xF0) {
						// Four bytes make a surrogate pair.
						this.charPos++;
					}
				}
			}
			else {
				this.charPos += new String(this.bytes, this.bytePos, byteOffset - this.bytePos, StandardCharsets.UTF_8)
					.length();
			}
			this.bytePos = byteOffset;
			return this.charPos;
		}

	}

	/** The matches of one file: all counted, the first few located. */
	private static final class Found {

		private final byte[] bytes;

		private final ScanLimits limits;

		private final List<LineMatch> stored = new ArrayList<>();

		private int count;

		private int linesCountedTo;

		private int lineNumber = 1;

		Found(byte[] bytes, ScanLimits limits) {
			this.bytes = bytes;
			this.limits = limits;
		}

		boolean storing() {
			return this.stored.size() < this.limits.maxStoredMatches();
		}

		void add(LineLocator lines, int start, int end) {
			this.count++;
			if (storing()) {
				this.stored.add(lines.locate(start, end, this.limits.maxLineText()));
			}
		}

		/** A match found in the bytes, located by decoding its line only. */
		void addBytes(int start, int end) {
			this.count++;
			if (!storing()) {
				return;
			}
			int lineStart = start;
			while (lineStart > 0 && this.bytes[lineStart - 1] != '\n') {
				lineStart--;
			}
			int lineEnd = end;
			while (lineEnd < this.bytes.length && this.bytes[lineEnd] != '\n') {
				lineEnd++;
			}
			String line = new String(this.bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
			int from = new String(this.bytes, lineStart, start - lineStart, StandardCharsets.UTF_8).length();
			int to = from + new String(this.bytes, start, end - start, StandardCharsets.UTF_8).length();
			this.stored.add(new LineLocator(line, lineNumberAt(start)).locate(from, to, this.limits.maxLineText()));
		}

		/** The 1-based line of a byte offset; offsets asked for only ever grow. */
		int lineNumberAt(int byteOffset) {
			if (byteOffset > this.linesCountedTo) {
				this.lineNumber += Newlines.count(this.bytes, this.linesCountedTo, byteOffset);
				this.linesCountedTo = byteOffset;
			}
			return this.lineNumber;
		}

	}

	/**
	 * Finds the line of each match, moving forward only: matches arrive in order, so the
	 * text is walked once however many matches are located.
	 */
	private static final class LineLocator {

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

}
