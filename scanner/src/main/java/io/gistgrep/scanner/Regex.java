package io.gistgrep.scanner;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A parsed pattern, as RE2's parser left it (flags resolved into the nodes: {@code (?i)}
 * into folded literals and classes, {@code (?s)}, {@code (?m)} and {@code (?U)} into the
 * node kinds). Captures are dropped: the scanner reports only whole matches.
 */
sealed interface Regex {

	/** Width used for "no upper bound". */
	long UNBOUNDED = Long.MAX_VALUE / 4;

	/** A run of code points; {@code fold} when it matches case-insensitively. */
	record Literal(int[] runes, boolean fold) implements Regex {
	}

	/** One code point from inclusive ranges {@code lo0, hi0, lo1, hi1, ...}. */
	record CharClass(int[] ranges) implements Regex {

		boolean contains(int rune) {
			for (int i = 0; i < this.ranges.length; i += 2) {
				if (rune >= this.ranges[i] && rune <= this.ranges[i + 1]) {
					return true;
				}
			}
			return false;
		}

		boolean hasNonAscii() {
			return this.ranges.length > 0 && this.ranges[this.ranges.length - 1] >= 0x80;
		}

		int size() {
			int n = 0;
			for (int i = 0; i < this.ranges.length; i += 2) {
				n += this.ranges[i + 1] - this.ranges[i] + 1;
			}
			return n;
		}

	}

	/** A zero-width assertion. */
	record Assertion(Kind kind) implements Regex {

		enum Kind {

			EMPTY, BEGIN_LINE, END_LINE, BEGIN_TEXT, END_TEXT, WORD_BOUNDARY, NO_WORD_BOUNDARY

		}

	}

	/** Matches nothing at all (an empty class, or a branch that cannot match). */
	record NoMatch() implements Regex {
	}

	record Concat(List<Regex> subs) implements Regex {
	}

	record Alternation(List<Regex> subs) implements Regex {
	}

	/** {@code sub{min,max}}; {@code max} is -1 for no upper bound. */
	record Repeat(Regex sub, int min, int max, boolean greedy) implements Regex {
	}

	/** The same tree with every node rewritten bottom-up by {@code f}. */
	static Regex map(Regex re, UnaryOperator<Regex> f) {
		return f.apply(switch (re) {
			case Concat c -> new Concat(c.subs().stream().map((s) -> map(s, f)).toList());
			case Alternation a -> new Alternation(a.subs().stream().map((s) -> map(s, f)).toList());
			case Repeat r -> new Repeat(map(r.sub(), f), r.min(), r.max(), r.greedy());
			default -> re;
		});
	}

	static boolean any(Regex re, java.util.function.Predicate<Regex> p) {
		if (p.test(re)) {
			return true;
		}
		return switch (re) {
			case Concat c -> c.subs().stream().anyMatch((s) -> any(s, p));
			case Alternation a -> a.subs().stream().anyMatch((s) -> any(s, p));
			case Repeat r -> any(r.sub(), p);
			default -> false;
		};
	}

	/**
	 * Whether some match could contain a newline: if not, every match lies in one line.
	 */
	static boolean canMatchNewline(Regex re) {
		return any(re, (n) -> switch (n) {
			case Literal l -> java.util.Arrays.stream(l.runes()).anyMatch((r) -> r == '\n');
			case CharClass c -> c.contains('\n');
			default -> false;
		});
	}

	/** The most code points one match can span, or {@link #UNBOUNDED}. */
	static long maxWidth(Regex re) {
		return switch (re) {
			case Literal l -> l.runes().length;
			case CharClass c -> 1;
			case Assertion a -> 0;
			case NoMatch n -> 0;
			case Concat c -> {
				long sum = 0;
				for (Regex s : c.subs()) {
					sum = Math.min(UNBOUNDED, sum + maxWidth(s));
				}
				yield sum;
			}
			case Alternation a -> a.subs().stream().mapToLong(Regex::maxWidth).max().orElse(0);
			case Repeat r -> {
				long w = maxWidth(r.sub());
				if (w == 0) {
					yield 0;
				}
				yield (r.max() < 0 || w >= UNBOUNDED) ? UNBOUNDED : Math.min(UNBOUNDED, w * r.max());
			}
		};
	}

	/**
	 * About how many instructions RE2 compiles the pattern into: repetitions are
	 * expanded, so nested counts multiply ({@code ((a{100}){100}){100}} is a million).
	 */
	static long programSize(Regex re) {
		return switch (re) {
			case Literal l -> l.runes().length;
			case CharClass c -> 1;
			case Assertion a -> 1;
			case NoMatch n -> 1;
			case Concat c -> c.subs().stream().mapToLong(Regex::programSize).reduce(0, Regex::saturatingAdd);
			case Alternation a -> saturatingAdd(
					a.subs().stream().mapToLong(Regex::programSize).reduce(0, Regex::saturatingAdd), a.subs().size());
			case Repeat r -> {
				long sub = programSize(r.sub());
				long copies = (r.max() < 0) ? Math.max(r.min(), 1) : Math.max(r.max(), 1);
				yield saturatingAdd(saturatingMultiply(sub, copies), copies);
			}
		};
	}

	private static long saturatingAdd(long a, long b) {
		return Math.min(UNBOUNDED, a + b);
	}

	private static long saturatingMultiply(long a, long b) {
		return (a != 0 && b > UNBOUNDED / a) ? UNBOUNDED : Math.min(UNBOUNDED, a * b);
	}

	/**
	 * The tree as RE2 source with the same meaning, every flag spelled out locally, so it
	 * can be recompiled after a rewrite.
	 */
	static String toSource(Regex re) {
		StringBuilder out = new StringBuilder();
		appendSource(re, out);
		return out.toString();
	}

	private static void appendSource(Regex re, StringBuilder out) {
		switch (re) {
			case Literal l -> {
				out.append(l.fold() ? "(?i:" : "(?:");
				for (int r : l.runes()) {
					appendRune(r, out);
				}
				out.append(')');
			}
			case CharClass c -> {
				if (c.ranges().length == 0) {
					out.append("[^\\x00-\\x{10FFFF}]");
					return;
				}
				out.append('[');
				for (int i = 0; i < c.ranges().length; i += 2) {
					appendRune(c.ranges()[i], out);
					if (c.ranges()[i + 1] != c.ranges()[i]) {
						out.append('-');
						appendRune(c.ranges()[i + 1], out);
					}
				}
				out.append(']');
			}
			case Assertion a -> out.append(switch (a.kind()) {
				case EMPTY -> "(?:)";
				case BEGIN_LINE -> "(?m:^)";
				case END_LINE -> "(?m:$)";
				case BEGIN_TEXT -> "\\A";
				case END_TEXT -> "\\z";
				case WORD_BOUNDARY -> "\\b";
				case NO_WORD_BOUNDARY -> "\\B";
			});
			case NoMatch n -> out.append("[^\\x00-\\x{10FFFF}]");
			case Concat c -> {
				out.append("(?:");
				for (Regex s : c.subs()) {
					appendSource(s, out);
				}
				out.append(')');
			}
			case Alternation a -> {
				out.append("(?:");
				for (int i = 0; i < a.subs().size(); i++) {
					out.append((i > 0) ? "|" : "");
					appendSource(a.subs().get(i), out);
				}
				out.append(')');
			}
			case Repeat r -> {
				out.append("(?:");
				appendSource(r.sub(), out);
				out.append(')');
				if (r.min() == 0 && r.max() < 0) {
					out.append('*');
				}
				else if (r.min() == 1 && r.max() < 0) {
					out.append('+');
				}
				else if (r.max() < 0) {
					out.append('{').append(r.min()).append(",}");
				}
				else {
					out.append('{').append(r.min()).append(',').append(r.max()).append('}');
				}
				if (!r.greedy()) {
					out.append('?');
				}
			}
		}
	}

	private static void appendRune(int rune, StringBuilder out) {
		out.append("\\x{").append(Integer.toHexString(rune)).append('}');
	}

}
