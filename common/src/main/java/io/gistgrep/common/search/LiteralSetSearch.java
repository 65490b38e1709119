package io.gistgrep.common.search;

import java.util.List;

/**
 * Finds the first of several needles (an alternation's branches, say), after Wu and
 * Manber: a window as long as the shortest needle slides along the text, and a table
 * indexed by the window's last two bytes says how far it may jump. Only windows whose
 * last two bytes end some needle's prefix are checked. Bytes are lower-cased for the
 * tables, which can only add candidates.
 */
final class LiteralSetSearch implements Prefilter {

	private final Needle[] needles;

	private final int window;

	private final byte[] shift = new byte[1 << 16];

	private final int width;

	private final boolean anyFold;

	LiteralSetSearch(List<Needle> needles) {
		this.needles = needles.toArray(Needle[]::new);
		int shortest = Integer.MAX_VALUE;
		int longest = 0;
		boolean fold = false;
		for (Needle n : this.needles) {
			shortest = Math.min(shortest, n.length());
			longest = Math.max(longest, n.length());
			fold |= n.fold();
		}
		if (shortest < 2) {
			throw new IllegalArgumentException("needles must be at least 2 bytes long");
		}
		this.anyFold = fold;
		this.window = Math.min(shortest, 64);
		this.width = longest;
		java.util.Arrays.fill(this.shift, (byte) (this.window - 1));
		for (Needle n : this.needles) {
			for (int end = 1; end < this.window; end++) {
				int h = hash(n.bytes()[end - 1], n.bytes()[end]);
				this.shift[h] = (byte) Math.min(this.shift[h], this.window - 1 - end);
			}
		}
	}

	private int hash(byte a, byte b) {
		int x = a & 0xFF;
		int y = b & 0xFF;
		if (this.anyFold) {
			x = Prefilter.isAsciiLetter(x) ? x | 0x20 : x;
			y = Prefilter.isAsciiLetter(y) ? y | 0x20 : y;
		}
		return (x << 8) | y;
	}

	@Override
	public int width() {
		return this.width;
	}

	@Override
	public int find(byte[] text, int from, int to) {
		int end = from + this.window - 1;
		while (end < to) {
			int s = this.shift[hash(text[end - 1], text[end])];
			if (s > 0) {
				end += s;
				continue;
			}
			int start = end - this.window + 1;
			for (Needle n : this.needles) {
				if (start + n.length() <= to && n.isAt(text, start)) {
					return start;
				}
			}
			end++;
		}
		return -1;
	}

}
