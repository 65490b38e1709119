// hot loop: unrolled on purpose, measured in bench/
package io.gistgrep.scanner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the first of several needles by pairs of adjacent bytes: a few pairs are chosen
 * so that every needle has one (shared where they can be, {@code cr} in both "secret" and
 * "credentials"), and all of them are looked for eight positions at a time (SWAR, from
 * two overlapping words). Only where a pair turns up are its needles compared in full.
 * Unlike a skip table, no step waits on the one before.
 */
final class PairSearch implements Prefilter {

	static final int MAX_PAIRS = 6;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long LOW_BITS = 0x0101010101010101L;

	private static final long HIGH_BITS = 0x8080808080808080L;

	private static final long CASE_BITS = 0x2020202020202020L;

	/**
	 * Per pair: its first and second byte broadcast, and the case bit where a letter
	 * folds.
	 */
	private final long[] first = new long[MAX_PAIRS];

	private final long[] second = new long[MAX_PAIRS];

	private final long[] firstFold = new long[MAX_PAIRS];

	private final long[] secondFold = new long[MAX_PAIRS];

	private final Needle[][] needles;

	private final int[][] offsets;

	private final int width;

	private final int maxOffset;

	/** Whether any pair compares a letter in either case. */
	private final boolean folds;

	private record Pair(byte a, byte b, boolean fold) {
	}

	private PairSearch(List<Pair> pairs, List<List<Needle>> needles, List<List<Integer>> offsets) {
		this.needles = new Needle[pairs.size()][];
		this.offsets = new int[pairs.size()][];
		int width = 0;
		int maxOffset = 0;
		for (int j = 0; j < MAX_PAIRS; j++) {
			// Unused slots repeat the first pair: no extra hits, no branch in the loop.
			Pair p = pairs.get((j < pairs.size()) ? j : 0);
			this.first[j] = (p.a & 0xFFL) * LOW_BITS;
			this.second[j] = (p.b & 0xFFL) * LOW_BITS;
			this.firstFold[j] = (p.fold && Prefilter.isAsciiLetter(p.a)) ? CASE_BITS : 0;
			this.secondFold[j] = (p.fold && Prefilter.isAsciiLetter(p.b)) ? CASE_BITS : 0;
		}
		for (int j = 0; j < pairs.size(); j++) {
			this.needles[j] = needles.get(j).toArray(Needle[]::new);
			this.offsets[j] = offsets.get(j).stream().mapToInt(Integer::intValue).toArray();
			for (int i = 0; i < this.needles[j].length; i++) {
				width = Math.max(width, this.needles[j][i].length());
				maxOffset = Math.max(maxOffset, this.offsets[j][i]);
			}
		}
		this.width = width;
		this.maxOffset = maxOffset;
		boolean folds = false;
		for (int j = 0; j < MAX_PAIRS; j++) {
			folds |= this.firstFold[j] != 0 || this.secondFold[j] != 0;
		}
		this.folds = folds;
	}

	/**
	 * A search for the needles (each at least two bytes long), or empty when they need
	 * more than {@link #MAX_PAIRS} pairs.
	 */
	static Optional<Prefilter> of(List<Needle> needles) {
		List<Pair> pairs = new ArrayList<>();
		List<List<Needle>> byPair = new ArrayList<>();
		List<List<Integer>> offsets = new ArrayList<>();
		List<Needle> left = new ArrayList<>(needles);
		while (!left.isEmpty()) {
			if (pairs.size() == MAX_PAIRS) {
				return Optional.empty();
			}
			// Each pair costs a few operations per byte, every time; a common pair costs
			// only a check where it turns up. So: the pair covering most needles, the
			// rarest of those.
			Pair best = null;
			int bestCovered = 0;
			long bestFrequency = Long.MAX_VALUE;
			for (Needle n : left) {
				for (int i = 0; i + 1 < n.length(); i++) {
					Pair p = pair(n, i);
					int covered = (int) left.stream().filter((m) -> offsetOf(m, p) >= 0).count();
					long frequency = (long) n.frequencyAt(i) * n.frequencyAt(i + 1);
					if (covered > bestCovered || (covered == bestCovered && frequency < bestFrequency)) {
						best = p;
						bestCovered = covered;
						bestFrequency = frequency;
					}
				}
			}
			List<Needle> covered = new ArrayList<>();
			List<Integer> at = new ArrayList<>();
			for (Needle m : left) {
				int o = offsetOf(m, best);
				if (o >= 0) {
					covered.add(m);
					at.add(o);
				}
			}
			left.removeAll(covered);
			pairs.add(best);
			byPair.add(covered);
			offsets.add(at);
		}
		return Optional.of(new PairSearch(pairs, byPair, offsets));
	}

	private static Pair pair(Needle n, int i) {
		return new Pair(n.bytes()[i], n.bytes()[i + 1], n.fold());
	}

	/** Where the needle has the pair, matching it as the search will; -1 if nowhere. */
	private static int offsetOf(Needle n, Pair p) {
		for (int i = 0; i + 1 < n.length(); i++) {
			if (n.bytes()[i] == p.a && n.bytes()[i + 1] == p.b && (n.fold() == p.fold
					|| (!Prefilter.isAsciiLetter(p.a) && !Prefilter.isAsciiLetter(p.b)) || p.fold)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public int width() {
		return this.width;
	}

	@Override
	public int find(byte[] text, int from, int to) {
		if (this.needles.length <= 3) {
			return this.folds ? findFew(text, from, to) : findFewExact(text, from, to);
		}
		return findMany(text, from, to);
	}

	/** Three pairs or fewer, none folded: the tightest loop. */
	private int findFewExact(byte[] text, int from, int to) {
		long a0 = this.first[0];
		long a1 = this.first[1];
		long a2 = this.first[2];
		long b0 = this.second[0];
		long b1 = this.second[1];
		long b2 = this.second[2];
		int best = -1;
		int at = from;
		while (at + 9 <= to) {
			long w = (long) LONGS.get(text, at);
			long v = (long) LONGS.get(text, at + 1);
			long t0 = (w ^ a0) | (v ^ b0);
			long t1 = (w ^ a1) | (v ^ b1);
			long t2 = (w ^ a2) | (v ^ b2);
			long hits = (((t0 - LOW_BITS) & ~t0) | ((t1 - LOW_BITS) & ~t1) | ((t2 - LOW_BITS) & ~t2)) & HIGH_BITS;
			if (hits == 0) {
				at += 8;
				continue;
			}
			int q = at + (Long.numberOfTrailingZeros(hits) >>> 3);
			if (best >= 0 && q > best + this.maxOffset) {
				return best;
			}
			best = checkAt(text, q, from, to, best);
			at = q + 1;
		}
		return finish(text, at, from, to, best);
	}

	/** Three pairs or fewer: a loop with less to do per word. */
	private int findFew(byte[] text, int from, int to) {
		long a0 = this.first[0];
		long a1 = this.first[1];
		long a2 = this.first[2];
		long b0 = this.second[0];
		long b1 = this.second[1];
		long b2 = this.second[2];
		long fa0 = this.firstFold[0];
		long fa1 = this.firstFold[1];
		long fa2 = this.firstFold[2];
		long fb0 = this.secondFold[0];
		long fb1 = this.secondFold[1];
		long fb2 = this.secondFold[2];
		int best = -1;
		int at = from;
		while (at + 9 <= to) {
			long w = (long) LONGS.get(text, at);
			long v = (long) LONGS.get(text, at + 1);
			long hits = zeros(((w | fa0) ^ a0) | ((v | fb0) ^ b0)) | zeros(((w | fa1) ^ a1) | ((v | fb1) ^ b1))
					| zeros(((w | fa2) ^ a2) | ((v | fb2) ^ b2));
			if (hits == 0) {
				at += 8;
				continue;
			}
			int q = at + (Long.numberOfTrailingZeros(hits) >>> 3);
			if (best >= 0 && q > best + this.maxOffset) {
				return best;
			}
			best = checkAt(text, q, from, to, best);
			at = q + 1;
		}
		return finish(text, at, from, to, best);
	}

	private int findMany(byte[] text, int from, int to) {
		long a0 = this.first[0];
		long a1 = this.first[1];
		long a2 = this.first[2];
		long a3 = this.first[3];
		long a4 = this.first[4];
		long a5 = this.first[5];
		long b0 = this.second[0];
		long b1 = this.second[1];
		long b2 = this.second[2];
		long b3 = this.second[3];
		long b4 = this.second[4];
		long b5 = this.second[5];
		long fa0 = this.firstFold[0];
		long fa1 = this.firstFold[1];
		long fa2 = this.firstFold[2];
		long fa3 = this.firstFold[3];
		long fa4 = this.firstFold[4];
		long fa5 = this.firstFold[5];
		long fb0 = this.secondFold[0];
		long fb1 = this.secondFold[1];
		long fb2 = this.secondFold[2];
		long fb3 = this.secondFold[3];
		long fb4 = this.secondFold[4];
		long fb5 = this.secondFold[5];
		int best = -1;
		int at = from;
		while (at + 9 <= to) {
			long w = (long) LONGS.get(text, at);
			long v = (long) LONGS.get(text, at + 1);
			long hits = zeros(((w | fa0) ^ a0) | ((v | fb0) ^ b0)) | zeros(((w | fa1) ^ a1) | ((v | fb1) ^ b1))
					| zeros(((w | fa2) ^ a2) | ((v | fb2) ^ b2)) | zeros(((w | fa3) ^ a3) | ((v | fb3) ^ b3))
					| zeros(((w | fa4) ^ a4) | ((v | fb4) ^ b4)) | zeros(((w | fa5) ^ a5) | ((v | fb5) ^ b5));
			if (hits == 0) {
				at += 8;
				continue;
			}
			int q = at + (Long.numberOfTrailingZeros(hits) >>> 3);
			if (best >= 0 && q > best + this.maxOffset) {
				return best;
			}
			best = checkAt(text, q, from, to, best);
			at = q + 1;
		}
		return finish(text, at, from, to, best);
	}

	/** The last few positions, one at a time. */
	private int finish(byte[] text, int at, int from, int to, int best) {
		for (int q = at; q + 1 < to; q++) {
			if (best >= 0 && q > best + this.maxOffset) {
				return best;
			}
			best = checkAt(text, q, from, to, best);
		}
		return best;
	}

	/**
	 * High bits where {@code x} has a zero byte (and maybe above one; checked later). A
	 * pair is tested as one word: the two differences ORed are zero only where both
	 * match.
	 */
	private static long zeros(long x) {
		return (x - LOW_BITS) & ~x & HIGH_BITS;
	}

	/** The earlier of {@code best} and a needle whose pair is at {@code q}. */
	private int checkAt(byte[] text, int q, int from, int to, int best) {
		for (int j = 0; j < this.needles.length; j++) {
			if (!isPair(j, text[q], text[q + 1])) {
				continue;
			}
			Needle[] ns = this.needles[j];
			int[] os = this.offsets[j];
			for (int i = 0; i < ns.length; i++) {
				int start = q - os[i];
				if (start >= from && start + ns[i].length() <= to && (best < 0 || start < best)
						&& ns[i].isAt(text, start)) {
					best = start;
				}
			}
		}
		return best;
	}

	private boolean isPair(int j, byte a, byte b) {
		return (byte) (a | this.firstFold[j]) == (byte) this.first[j]
				&& (byte) (b | this.secondFold[j]) == (byte) this.second[j];
	}

}
