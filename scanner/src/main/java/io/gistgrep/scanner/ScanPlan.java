package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.re2j.Pattern;

/**
 * How a pattern is searched, worked out once from its parse tree: what every match must
 * contain (a literal, one of several, or a run of bytes from a class), and how far from
 * that a match can reach, which decides what text the regex engine is given.
 */
final class ScanPlan {

	/** How the text around a candidate is handed to the engine. */
	enum Mode {

		/** No usable prefilter: the engine searches the whole text. */
		FULL,
		/**
		 * The pattern is a list of literals and nothing else: the prefilter's finds are
		 * the matches, and the regex engine is not needed.
		 */
		LITERALS,
		/** No match can cross a newline: the engine searches each candidate's line. */
		LINES,
		/** Matches reach a bounded distance around a candidate, in whole lines. */
		WINDOWS,
		/** Matches start at a candidate and reach an unbounded distance. */
		ANCHORED,
		/** Anything else: the whole text, but only if it has a candidate. */
		FULL_IF_CANDIDATE

	}

	/** Needle sets larger than this are not worth a prefilter. */
	private static final int MAX_NEEDLES = 32;

	private static final int MAX_NEEDLE_CHARS = 256;

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
		Info info = analyze(tree);
		Optional<Req> best = info.reqs.stream().filter(Req::usable).max(Comparator.comparingInt(Req::score));
		boolean lineBound = !Regex.canMatchNewline(tree);
		if (best.isEmpty() || (best.get().run != null && !lineBound)) {
			return new ScanPlan(tree, Mode.FULL, null, List.of(), List.of(), List.of(), 0, 0, variants);
		}
		Req req = best.get();
		boolean assertions = Regex.any(tree,
				(n) -> n instanceof Regex.Assertion a && a.kind() != Regex.Assertion.Kind.EMPTY);
		Req whole = (info.exact != null) ? new Req(info.exact, null, 0, 0) : null;
		if (whole != null && !assertions && whole.usable()) {
			// Ordered as the pattern prefers them: at one position the first that fits
			// wins.
			List<Needle> literals = whole.needles();
			return new ScanPlan(tree, Mode.LITERALS, whole.prefilter(), List.of(), foldEscapes(literals), literals, 0,
					0, variants);
		}
		Mode mode;
		if (lineBound) {
			mode = Mode.LINES;
		}
		else if (req.before < Regex.UNBOUNDED && req.after < Regex.UNBOUNDED
				&& (req.before + req.after) * MAX_UTF8 <= MAX_WINDOW_BYTES) {
			mode = Mode.WINDOWS;
		}
		else if (req.before == 0) {
			mode = Mode.ANCHORED;
		}
		else {
			mode = Mode.FULL_IF_CANDIDATE;
		}
		List<Needle> used = new ArrayList<>(req.needles());
		List<Prefilter> also = new ArrayList<>();
		if (mode == Mode.LINES) {
			info.reqs.stream()
				.filter((r) -> r != req && r.lits != null && r.lits.size() == 1 && r.usable())
				.map((r) -> r.needles().getFirst())
				.filter((n) -> !used.contains(n))
				.distinct()
				.sorted(Comparator.comparingInt(Needle::commonness))
				.limit(2)
				.forEach((n) -> {
					used.add(n);
					also.add(new LiteralSearch(n));
				});
		}
		ScanPlan plan = new ScanPlan(tree, mode, req.prefilter(), also, foldEscapes(used), List.of(), req.before,
				req.after, variants);
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

	/**
	 * A literal piece: {@code fold} folds its ASCII letters (and it has no other
	 * letters).
	 */
	private record Lit(String text, boolean fold) {

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
	private record Run(boolean[] ascii, boolean nonAscii, int length) {
	}

	/**
	 * Something every match contains: one of {@code lits}, or a {@code run}; with at most
	 * {@code before} code points of the match before it and {@code after} after it.
	 */
	private record Req(Set<Lit> lits, Run run, long before, long after) {

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

		int score() {
			if (this.run != null) {
				return 5 + Math.min(this.run.length, 30) * 2;
			}
			int shortest = this.lits.stream().mapToInt((l) -> utf8Length(l.text)).min().orElse(64);
			int rarest = this.needles().stream().mapToInt(Needle::commonness).max().orElse(0);
			return Math.min(shortest, 16) * 10 + ((rarest < 30) ? 5 : 0) - 2 * (this.lits.size() - 1)
					- ((shortest == 1) ? 20 : 0);
		}

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

		Req widen(long addBefore, long addAfter) {
			return new Req(this.lits, this.run, sat(this.before + addBefore), sat(this.after + addAfter));
		}

	}

	/** For a pattern that cannot match at all. */
	private static final class NeverSearch implements Prefilter {

		@Override
		public int find(byte[] text, int from, int to) {
			return -1;
		}

		@Override
		public int width() {
			return 0;
		}

	}

	/**
	 * What a node tells: the exact strings it matches when they are few ({@code exact},
	 * else null), things each match contains, and its widest match.
	 */
	private record Info(Set<Lit> exact, List<Req> reqs, long maxWidth) {
	}

	private static Info analyze(Regex re) {
		return switch (re) {
			case Regex.Literal l -> literal(l);
			case Regex.CharClass c -> charClass(c);
			case Regex.Assertion a -> new Info(Set.of(new Lit("", false)), List.of(), 0);
			case Regex.NoMatch n -> new Info(Set.of(), List.of(new Req(Set.of(), null, 0, 0)), 0);
			case Regex.Concat c -> concat(c);
			case Regex.Alternation a -> alternation(a);
			case Regex.Repeat r -> repeat(r);
		};
	}

	private static Info literal(Regex.Literal l) {
		List<Req> reqs = new ArrayList<>();
		StringBuilder piece = new StringBuilder();
		int pieceStart = 0;
		int n = l.runes().length;
		boolean whole = true;
		for (int i = 0; i <= n; i++) {
			int r = (i < n) ? l.runes()[i] : -1;
			boolean usable = r >= 0 && r != 0xFFFD && !(r >= 0xD800 && r <= 0xDFFF) && !(l.fold() && r >= 0x80);
			if (usable) {
				piece.appendCodePoint(r);
				continue;
			}
			if (i < n) {
				whole = false;
			}
			if (!piece.isEmpty()) {
				reqs.add(new Req(Set.of(lit(piece.toString(), l.fold())), null, pieceStart, n - i));
			}
			piece.setLength(0);
			pieceStart = i + 1;
		}
		Set<Lit> exact = whole ? Set.of(lit(new String(l.runes(), 0, n), l.fold())) : null;
		return new Info(exact, reqs, n);
	}

	private static Lit lit(String text, boolean fold) {
		return new Lit(text, fold && text.chars().anyMatch(Prefilter::isAsciiLetter));
	}

	private static Info charClass(Regex.CharClass c) {
		int size = c.size();
		if (size == 1) {
			int r = c.ranges()[0];
			if (r != 0xFFFD && !(r >= 0xD800 && r <= 0xDFFF)) {
				return new Info(Set.of(lit(Character.toString(r), false)), List.of(), 1);
			}
		}
		if (size == 2 && c.ranges().length == 4 && Prefilter.isAsciiLetter(c.ranges()[0])
				&& c.ranges()[2] == (c.ranges()[0] | 0x20) && c.ranges()[0] == (c.ranges()[2] & ~0x20)) {
			return new Info(Set.of(lit(Character.toString(c.ranges()[2]), true)), List.of(), 1);
		}
		return new Info(null, List.of(), 1);
	}

	private static Info concat(Regex.Concat c) {
		List<Info> infos = c.subs().stream().map(ScanPlan::analyze).toList();
		long[] prefix = new long[infos.size() + 1];
		for (int i = 0; i < infos.size(); i++) {
			prefix[i + 1] = sat(prefix[i] + infos.get(i).maxWidth);
		}
		long total = prefix[infos.size()];
		List<Req> reqs = new ArrayList<>();
		for (int i = 0; i < infos.size(); i++) {
			long before = prefix[i];
			long after = suffix(prefix, i + 1);
			for (Req r : infos.get(i).reqs) {
				reqs.add(r.widen(before, after));
			}
		}
		// Runs of children with few exact strings multiply out into longer literals.
		Set<Lit> whole = null;
		int runStart = 0;
		Set<Lit> product = Set.of(new Lit("", false));
		for (int i = 0; i <= infos.size(); i++) {
			Set<Lit> next = (i < infos.size()) ? infos.get(i).exact : null;
			Set<Lit> combined = (next != null) ? cross(product, next) : null;
			if (combined != null) {
				product = combined;
				continue;
			}
			if (i > runStart) {
				reqs.add(new Req(product, null, prefix[runStart], suffix(prefix, i)));
				if (runStart == 0 && i == infos.size()) {
					whole = product;
				}
			}
			product = Set.of(new Lit("", false));
			runStart = i + 1;
			if (next != null) {
				// The product grew too large: start a new run at this child.
				product = next;
				runStart = i;
			}
		}
		return new Info(whole, reqs, total);
	}

	private static long suffix(long[] prefix, int from) {
		long total = prefix[prefix.length - 1];
		return (total >= Regex.UNBOUNDED) ? Regex.UNBOUNDED : total - prefix[from];
	}

	private static Set<Lit> cross(Set<Lit> left, Set<Lit> right) {
		if ((long) left.size() * right.size() > MAX_NEEDLES) {
			return null;
		}
		Set<Lit> out = new LinkedHashSet<>();
		for (Lit a : left) {
			for (Lit b : right) {
				Lit ab = a.append(b);
				if (ab == null || ab.text.length() > MAX_NEEDLE_CHARS) {
					return null;
				}
				out.add(ab);
			}
		}
		return out;
	}

	private static Info alternation(Regex.Alternation a) {
		List<Info> infos = a.subs().stream().map(ScanPlan::analyze).toList();
		long width = infos.stream().mapToLong(Info::maxWidth).max().orElse(0);
		Set<Lit> exact = new LinkedHashSet<>();
		for (Info i : infos) {
			if (exact == null || i.exact == null || exact.size() + i.exact.size() > MAX_NEEDLES) {
				exact = null;
				break;
			}
			exact.addAll(i.exact);
		}
		if (exact != null) {
			return new Info(exact, List.of(new Req(exact, null, 0, 0)), width);
		}
		Set<Lit> union = new LinkedHashSet<>();
		long before = 0;
		long after = 0;
		for (Info i : infos) {
			Optional<Req> best = i.reqs.stream()
				.filter((r) -> r.lits != null && r.usable())
				.max(Comparator.comparingInt(Req::score));
			if (best.isEmpty()) {
				return new Info(null, List.of(), width);
			}
			union.addAll(best.get().lits);
			before = Math.max(before, best.get().before);
			after = Math.max(after, best.get().after);
		}
		return new Info(null, List.of(new Req(union, null, before, after)), width);
	}

	private static Info repeat(Regex.Repeat r) {
		Info sub = analyze(r.sub());
		long width = Regex.maxWidth(r);
		if (r.min() == 0) {
			return new Info((r.max() == 0) ? Set.of(new Lit("", false)) : null, List.of(), width);
		}
		// Every match starts with one match of the sub-pattern; the others follow it.
		long extra = (r.max() < 0) ? ((sub.maxWidth == 0) ? 0 : Regex.UNBOUNDED)
				: sat((long) (r.max() - 1) * sub.maxWidth);
		List<Req> reqs = new ArrayList<>();
		for (Req q : sub.reqs) {
			reqs.add(q.widen(0, extra));
		}
		if (r.sub() instanceof Regex.CharClass c) {
			boolean[] ascii = new boolean[128];
			for (int b = 0; b < 128; b++) {
				ascii[b] = c.contains(b);
			}
			long more = (r.max() < 0) ? Regex.UNBOUNDED : r.max() - r.min();
			reqs.add(new Req(null, new Run(ascii, c.hasNonAscii(), r.min()), 0, more));
		}
		Set<Lit> exact = null;
		if (r.min() == r.max() && sub.exact != null) {
			exact = Set.of(new Lit("", false));
			for (int i = 0; i < r.min() && exact != null; i++) {
				exact = cross(exact, sub.exact);
			}
		}
		return new Info(exact, reqs, width);
	}

	private static long sat(long v) {
		return Math.min(Regex.UNBOUNDED, v);
	}

	private static int utf8Length(String s) {
		return s.getBytes(StandardCharsets.UTF_8).length;
	}

}
