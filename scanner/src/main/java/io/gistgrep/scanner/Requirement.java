package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Something every match contains: one of {@code lits}, or a {@code run} (then
 * {@code lits} is null); with at most {@code before} code points of the match before it
 * and {@code after} after it ({@link Regex#UNBOUNDED} when there is no bound).
 */
record Requirement(Set<Lit> lits, Run run, long before, long after) {

	/** Needle sets larger than this are not worth a prefilter. */
	static final int MAX_NEEDLES = 32;

	static Requirement oneOf(Set<Lit> lits, long before, long after) {
		return new Requirement(lits, null, before, after);
	}

	/** Whether it is a run of class bytes rather than literals. */
	boolean isRun() {
		return this.run != null;
	}

	/** Whether a prefilter for it would rule out enough text to be worth running. */
	boolean usable() {
		if (this.run != null) {
			return this.run.length >= 3;
		}
		return this.lits.stream().allMatch((l) -> !l.text.isEmpty()) && this.lits.size() <= MAX_NEEDLES
				&& (this.lits.size() <= 1 || this.lits.stream().allMatch((l) -> utf8Length(l.text) >= 2));
	}

	List<Needle> needles() {
		return (this.lits == null) ? List.of() : this.lits.stream().map(Lit::needle).distinct().toList();
	}

	/** Higher for what is rarer in text: longer literals, fewer of them, rarer bytes. */
	int score() {
		if (this.run != null) {
			return 5 + Math.min(this.run.length, 30) * 2;
		}
		int shortest = this.lits.stream().mapToInt((l) -> utf8Length(l.text)).min().orElse(64);
		int rarest = this.needles().stream().mapToInt(Needle::commonness).max().orElse(0);
		return Math.min(shortest, 16) * 10 + ((rarest < 30) ? 5 : 0) - 2 * (this.lits.size() - 1)
				- ((shortest == 1) ? 20 : 0);
	}

	/** The byte search that finds where it could be. */
	Prefilter prefilter() {
		if (this.run != null) {
			return new ByteRunSearch(this.run.ascii, this.run.nonAscii, this.run.length);
		}
		List<Needle> needles = needles();
		if (needles.isEmpty()) {
			return new NeverSearch();
		}
		if (needles.size() == 1) {
			return new LiteralSearch(needles.getFirst());
		}
		return PairSearch.of(needles).orElseGet(() -> new BigramSearch(needles));
	}

	/** The same, inside a match that reaches further on either side. */
	Requirement widen(long addBefore, long addAfter) {
		return new Requirement(this.lits, this.run, sat(this.before + addBefore), sat(this.after + addAfter));
	}

	static long sat(long v) {
		return Math.min(Regex.UNBOUNDED, v);
	}

	static int utf8Length(String s) {
		return s.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * A literal piece: {@code fold} folds its ASCII letters (and it has no other
	 * letters).
	 */
	record Lit(String text, boolean fold) {

		static final Lit EMPTY = new Lit("", false);

		/** A piece that folds only if it has an ASCII letter to fold. */
		static Lit of(String text, boolean fold) {
			return new Lit(text, fold && text.chars().anyMatch(Prefilter::isAsciiLetter));
		}

		boolean hasAsciiLetter() {
			return this.text.chars().anyMatch(Prefilter::isAsciiLetter);
		}

		/**
		 * The two pieces side by side, or null when their folding cannot be expressed.
		 */
		Lit append(Lit next) {
			if (this.fold == next.fold) {
				return new Lit(this.text + next.text, this.fold);
			}
			Lit unfolded = this.fold ? next : this;
			return unfolded.hasAsciiLetter() ? null : new Lit(this.text + next.text, true);
		}

		Needle needle() {
			return new Needle(this.text.getBytes(StandardCharsets.UTF_8), this.fold);
		}

	}

	/** A run of {@code length} code points from a class. */
	record Run(boolean[] ascii, boolean nonAscii, int length) {
	}

}
