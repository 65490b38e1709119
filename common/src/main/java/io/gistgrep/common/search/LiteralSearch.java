package io.gistgrep.common.search;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds one needle. Eight candidate positions are tested at once (SWAR): the needle's two
 * rarest bytes are compared against words read at their offsets, and only positions where
 * both agree are checked in full. Folded letters are compared with the case bit set,
 * which can only add candidates, never lose one.
 */
final class LiteralSearch implements Prefilter {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long LOW_BITS = 0x0101010101010101L;

	private static final long HIGH_BITS = 0x8080808080808080L;

	private final Needle needle;

	private final int offset1;

	private final int offset2;

	private final long pattern1;

	private final long pattern2;

	private final long fold1;

	private final long fold2;

	LiteralSearch(Needle needle) {
		this.needle = needle;
		byte[] bytes = needle.bytes();
		int first = 0;
		for (int i = 1; i < bytes.length; i++) {
			if (needle.frequencyAt(i) < needle.frequencyAt(first)) {
				first = i;
			}
		}
		int second = -1;
		for (int i = 0; i < bytes.length; i++) {
			if (i != first && (second < 0 || rank(needle, i, first) < rank(needle, second, first))) {
				second = i;
			}
		}
		this.offset1 = first;
		this.offset2 = (second < 0) ? first : second;
		this.pattern1 = broadcast(bytes[this.offset1]);
		this.pattern2 = broadcast(bytes[this.offset2]);
		this.fold1 = foldMask(needle, this.offset1);
		this.fold2 = foldMask(needle, this.offset2);
	}

	/** Prefers a second byte unlike the first, so the pair filters more. */
	private static int rank(Needle needle, int i, int first) {
		return needle.frequencyAt(i) + ((needle.bytes()[i] == needle.bytes()[first]) ? 10_000 : 0);
	}

	private static long foldMask(Needle needle, int i) {
		return (needle.fold() && Prefilter.isAsciiLetter(needle.bytes()[i])) ? broadcast((byte) 0x20) : 0;
	}

	private static long broadcast(byte b) {
		return (b & 0xFFL) * LOW_BITS;
	}

	@Override
	public int width() {
		return this.needle.length();
	}

	@Override
	public int find(byte[] text, int from, int to) {
		int last = to - this.needle.length();
		int at = from;
		while (at + 7 <= last) {
			long x1 = ((long) LONGS.get(text, at + this.offset1) | this.fold1) ^ this.pattern1;
			long x2 = ((long) LONGS.get(text, at + this.offset2) | this.fold2) ^ this.pattern2;
			long hits = ((x1 - LOW_BITS) & ~x1) & ((x2 - LOW_BITS) & ~x2) & HIGH_BITS;
			while (hits != 0) {
				int candidate = at + (Long.numberOfTrailingZeros(hits) >>> 3);
				if (this.needle.isAt(text, candidate)) {
					return candidate;
				}
				hits &= hits - 1;
			}
			at += 8;
		}
		for (; at <= last; at++) {
			if (this.needle.isAt(text, at)) {
				return at;
			}
		}
		return -1;
	}

}
