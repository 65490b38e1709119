package io.gistgrep.scanner;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the first of several needles by the rarest pair of adjacent bytes in each: every
 * position's pair is looked up in a 64-kilobit table (it stays in the L1 cache), and only
 * where a needle's pair turns up is that needle compared in full. Rare byte pairs turn up
 * far less often than rare bytes, and no step waits on the one before.
 */
final class BigramSearch implements Prefilter {

	private final long[] table = new long[1 << 10];

	/**
	 * For each pair (as {@code first | second << 8}), the needles that have it and where.
	 */
	private final Needle[][] needles = new Needle[1 << 16][];

	private final int[][] offsets = new int[1 << 16][];

	private final int width;

	private final int maxOffset;

	BigramSearch(List<Needle> needles) {
		int width = 0;
		int maxOffset = 0;
		List<List<Needle>> byPair = new ArrayList<>();
		for (int i = 0; i < (1 << 16); i++) {
			byPair.add(null);
		}
		List<List<Integer>> offsetsByPair = new ArrayList<>();
		for (int i = 0; i < (1 << 16); i++) {
			offsetsByPair.add(null);
		}
		for (Needle n : needles) {
			if (n.length() < 2) {
				throw new IllegalArgumentException("needles must be at least 2 bytes long");
			}
			int best = 0;
			for (int i = 1; i + 1 < n.length(); i++) {
				if (pairFrequency(n, i) < pairFrequency(n, best)) {
					best = i;
				}
			}
			for (int h : variants(n, best)) {
				this.table[h >>> 6] |= 1L << h;
				if (byPair.get(h) == null) {
					byPair.set(h, new ArrayList<>());
					offsetsByPair.set(h, new ArrayList<>());
				}
				byPair.get(h).add(n);
				offsetsByPair.get(h).add(best);
			}
			width = Math.max(width, n.length());
			maxOffset = Math.max(maxOffset, best);
		}
		for (int h = 0; h < (1 << 16); h++) {
			if (byPair.get(h) != null) {
				this.needles[h] = byPair.get(h).toArray(Needle[]::new);
				this.offsets[h] = offsetsByPair.get(h).stream().mapToInt(Integer::intValue).toArray();
			}
		}
		this.width = width;
		this.maxOffset = maxOffset;
	}

	private static long pairFrequency(Needle n, int i) {
		return (long) n.frequencyAt(i) * n.frequencyAt(i + 1);
	}

	/** The pair at {@code i} as the text may spell it: both cases of folded letters. */
	private static List<Integer> variants(Needle n, int i) {
		List<Integer> out = new ArrayList<>();
		for (int a : cases(n, i)) {
			for (int b : cases(n, i + 1)) {
				out.add(a | (b << 8));
			}
		}
		return out;
	}

	private static int[] cases(Needle n, int i) {
		int b = n.bytes()[i] & 0xFF;
		return (n.fold() && Prefilter.isAsciiLetter(b)) ? new int[] { b, b & ~0x20 } : new int[] { b };
	}

	@Override
	public int width() {
		return this.width;
	}

	@Override
	public int find(byte[] text, int from, int to) {
		long[] table = this.table;
		int best = -1;
		for (int i = from; i + 1 < to; i++) {
			int h = (text[i] & 0xFF) | ((text[i + 1] & 0xFF) << 8);
			if ((table[h >>> 6] & (1L << h)) == 0) {
				continue;
			}
			if (best >= 0 && i > best + this.maxOffset) {
				return best;
			}
			Needle[] ns = this.needles[h];
			int[] os = this.offsets[h];
			for (int k = 0; k < ns.length; k++) {
				int start = i - os[k];
				if (start >= from && start + ns[k].length() <= to && (best < 0 || start < best)
						&& ns[k].isAt(text, start)) {
					best = start;
				}
			}
		}
		return best;
	}

}
