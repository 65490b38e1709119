package io.gistgrep.scanner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.gistgrep.scanner.Requirement.Lit;
import io.gistgrep.scanner.Requirement.Run;

/**
 * What every match of a pattern must contain, worked out once from its parse tree: the
 * {@link Requirement}s (a literal, one of several, or a run of class bytes, each with how
 * far a match reaches around it), and, when the pattern matches only a few exact strings,
 * those strings.
 */
final class RequiredLiterals {

	private static final int MAX_NEEDLE_CHARS = 256;

	private final Info info;

	private RequiredLiterals(Info info) {
		this.info = info;
	}

	static RequiredLiterals of(Regex tree) {
		return new RequiredLiterals(analyze(tree));
	}

	/** Every requirement found, usable as a prefilter or not. */
	List<Requirement> all() {
		return this.info.reqs;
	}

	/** The usable requirement that should rule out the most text. */
	Optional<Requirement> best() {
		return this.info.reqs.stream().filter(Requirement::usable).max(Comparator.comparingInt(Requirement::score));
	}

	/**
	 * The exact strings the whole pattern matches, in the pattern's order of preference,
	 * when they are few enough for a prefilter.
	 */
	Optional<Requirement> exact() {
		if (this.info.exact == null) {
			return Optional.empty();
		}
		Requirement whole = Requirement.oneOf(this.info.exact, 0, 0);
		return whole.usable() ? Optional.of(whole) : Optional.empty();
	}

	/**
	 * Single literals that every match contains besides {@code chosen}'s, rarest first,
	 * at most {@code limit} of them.
	 */
	List<Needle> alsoRequired(Requirement chosen, int limit) {
		List<Needle> chosenNeedles = chosen.needles();
		return this.info.reqs.stream()
			.filter((r) -> r != chosen && r.lits() != null && r.lits().size() == 1 && r.usable())
			.map((r) -> r.needles().getFirst())
			.filter((n) -> !chosenNeedles.contains(n))
			.distinct()
			.sorted(Comparator.comparingInt(Needle::commonness))
			.limit(limit)
			.toList();
	}

	/**
	 * What a node tells: the exact strings it matches when they are few ({@code exact},
	 * else null), things each match contains, and its widest match.
	 */
	private record Info(Set<Lit> exact, List<Requirement> reqs, long maxWidth) {
	}

	private static Info analyze(Regex re) {
		return switch (re) {
			case Regex.Literal l -> literal(l);
			case Regex.CharClass c -> charClass(c);
			case Regex.Assertion a -> new Info(Set.of(Lit.EMPTY), List.of(), 0);
			case Regex.NoMatch n -> new Info(Set.of(), List.of(Requirement.oneOf(Set.of(), 0, 0)), 0);
			case Regex.Concat c -> concat(c);
			case Regex.Alternation a -> alternation(a);
			case Regex.Repeat r -> repeat(r);
		};
	}

	private static Info literal(Regex.Literal l) {
		List<Requirement> reqs = new ArrayList<>();
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
				reqs.add(Requirement.oneOf(Set.of(Lit.of(piece.toString(), l.fold())), pieceStart, n - i));
			}
			piece.setLength(0);
			pieceStart = i + 1;
		}
		Set<Lit> exact = whole ? Set.of(Lit.of(new String(l.runes(), 0, n), l.fold())) : null;
		return new Info(exact, reqs, n);
	}

	private static Info charClass(Regex.CharClass c) {
		int size = c.size();
		if (size == 1) {
			int r = c.ranges()[0];
			if (r != 0xFFFD && !(r >= 0xD800 && r <= 0xDFFF)) {
				return new Info(Set.of(Lit.of(Character.toString(r), false)), List.of(), 1);
			}
		}
		if (size == 2 && c.ranges().length == 4 && Prefilter.isAsciiLetter(c.ranges()[0])
				&& c.ranges()[2] == (c.ranges()[0] | 0x20) && c.ranges()[0] == (c.ranges()[2] & ~0x20)) {
			return new Info(Set.of(Lit.of(Character.toString(c.ranges()[2]), true)), List.of(), 1);
		}
		return new Info(null, List.of(), 1);
	}

	private static Info concat(Regex.Concat c) {
		List<Info> infos = c.subs().stream().map(RequiredLiterals::analyze).toList();
		long[] prefix = new long[infos.size() + 1];
		for (int i = 0; i < infos.size(); i++) {
			prefix[i + 1] = Requirement.sat(prefix[i] + infos.get(i).maxWidth);
		}
		long total = prefix[infos.size()];
		List<Requirement> reqs = new ArrayList<>();
		for (int i = 0; i < infos.size(); i++) {
			long before = prefix[i];
			long after = suffix(prefix, i + 1);
			for (Requirement r : infos.get(i).reqs) {
				reqs.add(r.widen(before, after));
			}
		}
		// Runs of children with few exact strings multiply out into longer literals.
		Set<Lit> whole = null;
		int runStart = 0;
		Set<Lit> product = Set.of(Lit.EMPTY);
		for (int i = 0; i <= infos.size(); i++) {
			Set<Lit> next = (i < infos.size()) ? infos.get(i).exact : null;
			Set<Lit> combined = (next != null) ? cross(product, next) : null;
			if (combined != null) {
				product = combined;
				continue;
			}
			if (i > runStart) {
				reqs.add(Requirement.oneOf(product, prefix[runStart], suffix(prefix, i)));
				if (runStart == 0 && i == infos.size()) {
					whole = product;
				}
			}
			product = Set.of(Lit.EMPTY);
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

	/**
	 * Every left piece followed by every right piece, or null when too many or too long.
	 */
	private static Set<Lit> cross(Set<Lit> left, Set<Lit> right) {
		if ((long) left.size() * right.size() > Requirement.MAX_NEEDLES) {
			return null;
		}
		Set<Lit> out = new LinkedHashSet<>();
		for (Lit a : left) {
			for (Lit b : right) {
				Lit ab = a.append(b);
				if (ab == null || ab.text().length() > MAX_NEEDLE_CHARS) {
					return null;
				}
				out.add(ab);
			}
		}
		return out;
	}

	private static Info alternation(Regex.Alternation a) {
		List<Info> infos = a.subs().stream().map(RequiredLiterals::analyze).toList();
		long width = infos.stream().mapToLong(Info::maxWidth).max().orElse(0);
		Set<Lit> exact = new LinkedHashSet<>();
		for (Info i : infos) {
			if (exact == null || i.exact == null || exact.size() + i.exact.size() > Requirement.MAX_NEEDLES) {
				exact = null;
				break;
			}
			exact.addAll(i.exact);
		}
		if (exact != null) {
			return new Info(exact, List.of(Requirement.oneOf(exact, 0, 0)), width);
		}
		Set<Lit> union = new LinkedHashSet<>();
		long before = 0;
		long after = 0;
		for (Info i : infos) {
			Optional<Requirement> best = i.reqs.stream()
				.filter((r) -> r.lits() != null && r.usable())
				.max(Comparator.comparingInt(Requirement::score));
			if (best.isEmpty()) {
				return new Info(null, List.of(), width);
			}
			union.addAll(best.get().lits());
			before = Math.max(before, best.get().before());
			after = Math.max(after, best.get().after());
		}
		return new Info(null, List.of(Requirement.oneOf(union, before, after)), width);
	}

	private static Info repeat(Regex.Repeat r) {
		Info sub = analyze(r.sub());
		long width = Regex.maxWidth(r);
		if (r.min() == 0) {
			return new Info((r.max() == 0) ? Set.of(Lit.EMPTY) : null, List.of(), width);
		}
		// Every match starts with one match of the sub-pattern; the others follow it.
		long extra = (r.max() < 0) ? ((sub.maxWidth == 0) ? 0 : Regex.UNBOUNDED)
				: Requirement.sat((long) (r.max() - 1) * sub.maxWidth);
		List<Requirement> reqs = new ArrayList<>();
		for (Requirement q : sub.reqs) {
			reqs.add(q.widen(0, extra));
		}
		if (r.sub() instanceof Regex.CharClass c) {
			boolean[] ascii = new boolean[128];
			for (int b = 0; b < 128; b++) {
				ascii[b] = c.contains(b);
			}
			long more = (r.max() < 0) ? Regex.UNBOUNDED : r.max() - r.min();
			reqs.add(new Requirement(null, new Run(ascii, c.hasNonAscii(), r.min()), 0, more));
		}
		Set<Lit> exact = null;
		if (r.min() == r.max() && sub.exact != null) {
			exact = Set.of(Lit.EMPTY);
			for (int i = 0; i < r.min() && exact != null; i++) {
				exact = cross(exact, sub.exact);
			}
		}
		return new Info(exact, reqs, width);
	}

}
