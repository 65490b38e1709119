package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.re2j.Pattern;

/**
 * How a pattern is searched, worked out once from its parse tree: which of its
 * {@link RequiredLiterals} the prefilter looks for, and, from how far a match can reach
 * around it, what text the regex engine is given (the {@link Mode}).
 */
final class ScanPlan {

	/**
	 * How the text around a candidate is handed to the engine; each mode's
	 * {@link SearchMode} holds its loop.
	 */
	enum Mode {

		/** No usable prefilter: the engine searches the whole text. */
		FULL(new FullMode()),
		/**
		 * The pattern is a list of literals and nothing else: the prefilter's finds are
		 * the matches, and the regex engine is not needed.
		 */
		LITERALS(new LiteralsMode()),
		/** No match can cross a newline: the engine searches each candidate's line. */
		LINES(new LinesMode()),
		/** Matches reach a bounded distance around a candidate, in whole lines. */
		WINDOWS(new WindowsMode()),
		/** Matches start at a candidate and reach an unbounded distance. */
		ANCHORED(new AnchoredMode()),
		/** Anything else: the whole text, but only if it has a candidate. */
		FULL_IF_CANDIDATE(new FullIfCandidateMode());

		final SearchMode search;

		Mode(SearchMode search) {
			this.search = search;
		}

	}

	/** Further literals a candidate's line must contain, at most (lines mode). */
	private static final int MAX_ALSO_REQUIRED = 2;

	/** Programs larger than this leave regions to re2j. */
	private static final int MAX_BACKTRACK_PROGRAM = 2000;

	/** Windows wider than this are searched as a whole text instead. */
	private static final long MAX_WINDOW_BYTES = 1 << 20;

	/** Bytes one code point can take in UTF-8. */
	private static final int MAX_UTF8 = 4;

	final Mode mode;

	final Prefilter prefilter;

	/** Further needles that a candidate's line must contain too (lines mode). */
	final List<Prefilter> alsoRequired;

	/**
	 * UTF-8 of code points that fold to a folded needle's ASCII letters (the long s, the
	 * Kelvin sign): a text containing one is searched whole.
	 */
	final List<Prefilter> foldEscapes;

	/** The engine for regions, when the program is small enough to backtrack over. */
	final Backtracker backtracker;

	/** In literals mode, the literals in the pattern's order of preference. */
	final List<Needle> literals;

	final int beforeBytes;

	final int afterBytes;

	/**
	 * The pattern for a region, indexed by (starts at text start ? 1 : 0) | (ends at text
	 * end ? 2 : 0).
	 */
	private final Pattern[] variants;

	/**
	 * Anchored mode's patterns, {@code \A(?s:.)(pattern)} or {@code \A(pattern)}:
	 * searched in a view of the text that starts one character before a candidate (so
	 * assertions see it), or at the text's start, they match only there, and the engine
	 * gives up as soon as no match can start there (re2j's own anchored search reads on
	 * to the end). Indexed by (one leading character ? 1 : 0) | (ends at text end ? 2 :
	 * 0).
	 */
	private final Pattern[] anchored;

	private ScanPlan(Regex tree, Mode mode, Prefilter prefilter, List<Prefilter> alsoRequired,
			List<Prefilter> foldEscapes, List<Needle> literals, long before, long after, Pattern[] variants) {
		this.mode = mode;
		this.literals = literals;
		Backtracker backtracker = (mode == Mode.LINES || mode == Mode.WINDOWS) ? Backtracker.of(tree) : null;
		this.backtracker = (backtracker != null && backtracker.size() <= MAX_BACKTRACK_PROGRAM) ? backtracker : null;
		this.prefilter = prefilter;
		this.alsoRequired = alsoRequired;
		this.foldEscapes = foldEscapes;
		this.beforeBytes = (int) Math.min(Integer.MAX_VALUE / 4, before * MAX_UTF8);
		this.afterBytes = (int) Math.min(Integer.MAX_VALUE / 4, after * MAX_UTF8);
		this.variants = variants;
		this.anchored = new Pattern[4];
	}

	/** The group of an anchored pattern that holds the match. */
	static final int ANCHORED_GROUP = 1;

	Pattern anchored(boolean leadingChar, boolean atTextEnd) {
		int i = (leadingChar ? 1 : 0) | (atTextEnd ? 2 : 0);
		return this.anchored[i];
	}

	private ScanPlan withAnchored(Regex tree) {
		for (int i = 0; i < 4; i++) {
			boolean keepEnd = (i & 2) != 0;
			Regex body = Regex.map(tree,
					(n) -> (!keepEnd && n instanceof Regex.Assertion a && a.kind() == Regex.Assertion.Kind.END_TEXT)
							? new Regex.NoMatch() : n);
			this.anchored[i] = Pattern.compile(((i & 1) != 0 ? "\\A(?s:.)(" : "\\A(") + Regex.toSource(body) + ")");
		}
		return this;
	}

	Pattern variant(boolean atTextStart, boolean atTextEnd) {
		return this.variants[(atTextStart ? 1 : 0) | (atTextEnd ? 2 : 0)];
	}

	static ScanPlan of(Regex tree, Pattern compiled) {
		Pattern[] variants = variants(tree, compiled);
		RequiredLiterals required = RequiredLiterals.of(tree);
		Optional<Requirement> best = required.best();
		boolean lineBound = !Regex.canMatchNewline(tree);
		if (best.isEmpty() || (best.get().isRun() && !lineBound)) {
			return new ScanPlan(tree, Mode.FULL, null, List.of(), List.of(), List.of(), 0, 0, variants);
		}
		Requirement req = best.get();
		boolean assertions = Regex.any(tree,
				(n) -> n instanceof Regex.Assertion a && a.kind() != Regex.Assertion.Kind.EMPTY);
		Optional<Requirement> whole = required.exact();
		if (whole.isPresent() && !assertions) {
			// Ordered as the pattern prefers them: at one position the first that fits
			// wins.
			List<Needle> literals = whole.get().needles();
			return new ScanPlan(tree, Mode.LITERALS, whole.get().prefilter(), List.of(), foldEscapes(literals),
					literals, 0, 0, variants);
		}
		Mode mode;
		if (lineBound) {
			mode = Mode.LINES;
		}
		else if (req.before() < Regex.UNBOUNDED && req.after() < Regex.UNBOUNDED
				&& (req.before() + req.after()) * MAX_UTF8 <= MAX_WINDOW_BYTES) {
			mode = Mode.WINDOWS;
		}
		else if (req.before() == 0) {
			mode = Mode.ANCHORED;
		}
		else {
			mode = Mode.FULL_IF_CANDIDATE;
		}
		List<Needle> used = new ArrayList<>(req.needles());
		List<Prefilter> also = new ArrayList<>();
		if (mode == Mode.LINES) {
			for (Needle n : required.alsoRequired(req, MAX_ALSO_REQUIRED)) {
				used.add(n);
				also.add(new LiteralSearch(n));
			}
		}
		ScanPlan plan = new ScanPlan(tree, mode, req.prefilter(), also, foldEscapes(used), List.of(), req.before(),
				req.after(), variants);
		return (mode == Mode.ANCHORED) ? plan.withAnchored(tree) : plan;
	}

	/**
	 * The pattern with {@code \A} (and {@code ^} outside multi-line mode) never matching
	 * where a region does not start at the text's start, and {@code \z} likewise at its
	 * end: a region is then searched as if it were the whole text around it.
	 */
	private static Pattern[] variants(Regex tree, Pattern compiled) {
		Pattern[] variants = { compiled, compiled, compiled, compiled };
		boolean begin = Regex.any(tree,
				(n) -> n instanceof Regex.Assertion a && a.kind() == Regex.Assertion.Kind.BEGIN_TEXT);
		boolean end = Regex.any(tree,
				(n) -> n instanceof Regex.Assertion a && a.kind() == Regex.Assertion.Kind.END_TEXT);
		for (int i = 0; i < 3; i++) {
			boolean keepBegin = (i & 1) != 0;
			boolean keepEnd = (i & 2) != 0;
			if ((begin && !keepBegin) || (end && !keepEnd)) {
				Regex rewritten = Regex.map(tree, (n) -> {
					if (n instanceof Regex.Assertion a && ((a.kind() == Regex.Assertion.Kind.BEGIN_TEXT && !keepBegin)
							|| (a.kind() == Regex.Assertion.Kind.END_TEXT && !keepEnd))) {
						return new Regex.NoMatch();
					}
					return n;
				});
				variants[i] = Pattern.compile(Regex.toSource(rewritten));
			}
		}
		return variants;
	}

	private static List<Prefilter> foldEscapes(List<Needle> needles) {
		Set<String> escapes = new LinkedHashSet<>();
		for (Needle n : needles) {
			if (!n.fold()) {
				continue;
			}
			for (byte b : n.bytes()) {
				if (Prefilter.isAsciiLetter(b)) {
					for (int r : Re2j.foldOrbit(b)) {
						if (r >= 0x80) {
							escapes.add(Character.toString(r));
						}
					}
				}
			}
		}
		return escapes.stream()
			.map((s) -> (Prefilter) new LiteralSearch(new Needle(s.getBytes(StandardCharsets.UTF_8), false)))
			.toList();
	}

}
