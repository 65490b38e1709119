package io.gistgrep.scanner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RE2's bounded backtracker ("BitState") over the pattern's own compiled program: a
 * depth-first search in the order of the pattern's preferences, which never visits the
 * same (instruction, position) twice, so its first match is the leftmost-first match, as
 * RE2's other engines find it, and its work is at most the program's size times the text.
 * On the short regions the scanner gives it that is far cheaper than re2j's simulation of
 * every thread at every character. It gives up (and re2j takes over) when its work passes
 * a multiple of the linear bound, so a region never costs more than linear time.
 */
final class Backtracker {

	private static final int FAIL = 0;

	private static final int MATCH = 1;

	private static final int CLASS = 2;

	private static final int SPLIT = 3;

	private static final int JUMP = 4;

	private static final int ASSERT = 5;

	/** Regions whose visited set would need more bits than this go to re2j. */
	private static final long MAX_VISITED_BITS = 1L << 26;

	/** Work allowed, as a multiple of the program's size times the region's length. */
	private static final int WORK_FACTOR = 4;

	private final int[] op;

	private final int[] out;

	private final int[] out1;

	private final int[][] ranges;

	private final long[] asciiLow;

	private final long[] asciiHigh;

	private final Regex.Assertion.Kind[] kinds;

	private final int start;

	private Backtracker(Program p) {
		int n = p.op.size();
		this.op = p.op.stream().mapToInt(Integer::intValue).toArray();
		this.out = p.out.stream().mapToInt(Integer::intValue).toArray();
		this.out1 = p.out1.stream().mapToInt(Integer::intValue).toArray();
		this.ranges = p.ranges.toArray(int[][]::new);
		this.kinds = p.kinds.toArray(Regex.Assertion.Kind[]::new);
		this.asciiLow = new long[n];
		this.asciiHigh = new long[n];
		for (int pc = 0; pc < n; pc++) {
			if (this.op[pc] == CLASS) {
				for (int c = 0; c < 128; c++) {
					if (contains(this.ranges[pc], c)) {
						if (c < 64) {
							this.asciiLow[pc] |= 1L << c;
						}
						else {
							this.asciiHigh[pc] |= 1L << (c - 64);
						}
					}
				}
			}
		}
		this.start = p.start;
	}

	static Backtracker of(Regex tree) {
		Program p = new Program();
		int match = p.emit(MATCH, -1, -1, null, null);
		p.start = p.compile(tree, match);
		return new Backtracker(p);
	}

	int size() {
		return this.op.length;
	}

	/**
	 * One region's search state: the visited set is kept between the searches of one
	 * region, cleared over the positions a search touched.
	 */
	final class Search {

		private final String text;

		private final int length;

		private final boolean atTextStart;

		private final boolean atTextEnd;

		private final long[] visited;

		private final long deadline;

		private final long workLimit;

		private long work;

		private int[] stack = new int[64];

		/** The end of the last match found. */
		int matchEnd;

		/** The furthest position the last search looked at. */
		int furthest;

		Search(String text, boolean atTextStart, boolean atTextEnd, long deadline) {
			this.text = text;
			this.length = text.length();
			this.atTextStart = atTextStart;
			this.atTextEnd = atTextEnd;
			this.visited = new long[(int) ((visitedBits(text.length()) + 63) >>> 6)];
			this.deadline = deadline;
			this.workLimit = (long) WORK_FACTOR * op.length * (this.length + 1) + 1024;
		}

		/**
		 * The start of the leftmost-first match at or after {@code from} (its end in
		 * {@link #matchEnd}), -1 when there is none, or -2 when the work ran over its
		 * bound.
		 */
		int find(int from) {
			for (int s = from; s <= this.length; s++) {
				int r = tryAt(s);
				if (r != -1) {
					return r;
				}
				if (s < this.length && Character.isHighSurrogate(this.text.charAt(s)) && s + 1 < this.length
						&& Character.isLowSurrogate(this.text.charAt(s + 1))) {
					s++;
				}
			}
			return -1;
		}

		/** A match starting exactly at {@code at}: its start, -1, or -2 as for find. */
		int matchAt(int at) {
			return tryAt(at);
		}

		private int tryAt(int s) {
			int sp = 0;
			int[] st = this.stack;
			st[sp++] = start;
			st[sp++] = s;
			int lowest = s;
			int highest = s;
			while (sp > 0) {
				int pos = st[--sp];
				int pc = st[--sp];
				while (true) {
					long bit = (long) pos * op.length + pc;
					int word = (int) (bit >>> 6);
					long mask = 1L << bit;
					if ((this.visited[word] & mask) != 0) {
						break;
					}
					this.visited[word] |= mask;
					if (pos > highest) {
						highest = pos;
					}
					if ((++this.work & 0xFFFF) == 0) {
						ScanTimeoutException.check(this.deadline);
						if (this.work > this.workLimit) {
							this.furthest = this.length;
							return -2;
						}
					}
					int o = op[pc];
					if (o == CLASS) {
						if (pos >= this.length) {
							break;
						}
						int c = this.text.charAt(pos);
						int width = 1;
						if (c < 64) {
							if ((asciiLow[pc] & (1L << c)) == 0) {
								break;
							}
						}
						else if (c < 128) {
							if ((asciiHigh[pc] & (1L << (c - 64))) == 0) {
								break;
							}
						}
						else {
							if (Character.isHighSurrogate((char) c) && pos + 1 < this.length
									&& Character.isLowSurrogate(this.text.charAt(pos + 1))) {
								c = Character.toCodePoint((char) c, this.text.charAt(pos + 1));
								width = 2;
							}
							if (!contains(ranges[pc], c)) {
								break;
							}
						}
						pos += width;
						pc = out[pc];
					}
					else if (o == SPLIT) {
						if (sp + 2 > st.length) {
							st = Arrays.copyOf(st, st.length * 2);
							this.stack = st;
						}
						st[sp++] = out1[pc];
						st[sp++] = pos;
						pc = out[pc];
					}
					else if (o == JUMP) {
						pc = out[pc];
					}
					else if (o == ASSERT) {
						if (!holds(kinds[pc], pos)) {
							break;
						}
						pc = out[pc];
					}
					else if (o == MATCH) {
						this.matchEnd = pos;
						this.furthest = Math.max(highest, pos);
						clear(lowest, highest);
						return s;
					}
					else {
						break;
					}
				}
			}
			this.furthest = highest;
			// Failed (instruction, position) pairs fail again from any later start, so
			// they
			// stay marked; the set is cleared only after a match.
			return -1;
		}

		/** Clears the visited bits of positions {@code from..to}. */
		private void clear(int from, int to) {
			long first = (long) from * op.length;
			long last = (long) (to + 1) * op.length;
			int w0 = (int) (first >>> 6);
			int w1 = (int) Math.min(this.visited.length, (last + 63) >>> 6);
			this.work += (w1 - w0);
			Arrays.fill(this.visited, w0, w1, 0L);
		}

		private boolean holds(Regex.Assertion.Kind kind, int pos) {
			return switch (kind) {
				case EMPTY -> true;
				case BEGIN_LINE -> pos == 0 || this.text.charAt(pos - 1) == '\n';
				case END_LINE -> pos == this.length || this.text.charAt(pos) == '\n';
				case BEGIN_TEXT -> pos == 0 && this.atTextStart;
				case END_TEXT -> pos == this.length && this.atTextEnd;
				case WORD_BOUNDARY -> wordBefore(pos) != wordAt(pos);
				case NO_WORD_BOUNDARY -> wordBefore(pos) == wordAt(pos);
			};
		}

		private boolean wordBefore(int pos) {
			return pos > 0 && isWord(this.text.charAt(pos - 1));
		}

		private boolean wordAt(int pos) {
			return pos < this.length && isWord(this.text.charAt(pos));
		}

	}

	/** Whether a region of this length is small enough for the visited set. */
	boolean fits(int length) {
		return visitedBits(length) <= MAX_VISITED_BITS;
	}

	private long visitedBits(int length) {
		return (long) this.op.length * (length + 1);
	}

	private static boolean isWord(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
	}

	private static boolean contains(int[] ranges, int c) {
		for (int i = 0; i < ranges.length; i += 2) {
			if (c < ranges[i]) {
				return false;
			}
			if (c <= ranges[i + 1]) {
				return true;
			}
		}
		return false;
	}

	/** The program under construction; compiled back to front. */
	private static final class Program {

		final List<Integer> op = new ArrayList<>();

		final List<Integer> out = new ArrayList<>();

		final List<Integer> out1 = new ArrayList<>();

		final List<int[]> ranges = new ArrayList<>();

		final List<Regex.Assertion.Kind> kinds = new ArrayList<>();

		int start;

		int emit(int o, int next, int next1, int[] r, Regex.Assertion.Kind kind) {
			this.op.add(o);
			this.out.add(next);
			this.out1.add(next1);
			this.ranges.add(r);
			this.kinds.add(kind);
			return this.op.size() - 1;
		}

		/** Emits {@code re} so that it continues at {@code next}; returns its entry. */
		int compile(Regex re, int next) {
			return switch (re) {
				case Regex.Literal l -> {
					int pc = next;
					for (int i = l.runes().length - 1; i >= 0; i--) {
						pc = emit(CLASS, pc, -1, runeClass(l.runes()[i], l.fold()), null);
					}
					yield pc;
				}
				case Regex.CharClass c -> emit(CLASS, next, -1, c.ranges(), null);
				case Regex.Assertion a ->
					(a.kind() == Regex.Assertion.Kind.EMPTY) ? next : emit(ASSERT, next, -1, null, a.kind());
				case Regex.NoMatch n -> emit(FAIL, -1, -1, null, null);
				case Regex.Concat c -> {
					int pc = next;
					for (int i = c.subs().size() - 1; i >= 0; i--) {
						pc = compile(c.subs().get(i), pc);
					}
					yield pc;
				}
				case Regex.Alternation a -> {
					int pc = compile(a.subs().getLast(), next);
					for (int i = a.subs().size() - 2; i >= 0; i--) {
						int first = compile(a.subs().get(i), next);
						pc = emit(SPLIT, first, pc, null, null);
					}
					yield pc;
				}
				case Regex.Repeat r -> repeat(r, next);
			};
		}

		private int repeat(Regex.Repeat r, int next) {
			int pc = next;
			if (r.max() < 0) {
				// x* : a split that loops through x back to itself.
				int split = emit(SPLIT, -1, -1, null, null);
				int body = compile(r.sub(), split);
				setSplit(split, r.greedy() ? body : next, r.greedy() ? next : body);
				pc = split;
			}
			else {
				// (x(x(x)?)?)? for the optional copies, innermost first.
				for (int i = 0; i < r.max() - r.min(); i++) {
					int body = compile(r.sub(), pc);
					pc = emit(SPLIT, r.greedy() ? body : next, r.greedy() ? next : body, null, null);
				}
			}
			for (int i = 0; i < r.min(); i++) {
				pc = compile(r.sub(), pc);
			}
			return pc;
		}

		private void setSplit(int pc, int first, int second) {
			this.out.set(pc, first);
			this.out1.set(pc, second);
		}

		private static int[] runeClass(int rune, boolean fold) {
			if (!fold) {
				return new int[] { rune, rune };
			}
			List<Integer> orbit = Re2j.foldOrbit(rune);
			int[] runes = orbit.stream().mapToInt(Integer::intValue).sorted().toArray();
			int[] r = new int[runes.length * 2];
			for (int i = 0; i < runes.length; i++) {
				r[2 * i] = runes[i];
				r[2 * i + 1] = runes[i];
			}
			return r;
		}

	}

}
