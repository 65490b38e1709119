package io.gistgrep.scanner;

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

	/**
	 * A byte this frequent (see {@link Prefilter#frequency}) turns up every few dozen
	 * bytes.
	 */
	private static final int COMMON = 20;

	private final Needle needle;

	private final int offset1;

	private final int offset2;

	private final long pattern1;

	private final long pattern2;

	private final long fold1;

	private final long fold2;

	/** Whether the rarest byte is common enough to test a second one in the words too. */
	private final boolean commonFirst;

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
		this.commonFirst = this.offset1 != this.offset2 && needle.frequencyAt(this.offset1) >= COMMON;
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
		return this.commonFirst ? findByPair(text, from, to) : findByByte(text, from, to);
	}

	/**
	 * When even the rarest byte is common, both bytes are tested in the words: twice the
	 * loads, far fewer false candidates.
	 */
	private int findByPair(byte[] text, int from, int to) {
		Needle needle = this.needle;
		int offset1 = this.offset1;
		int offset2 = this.offset2;
		long pattern1 = this.pattern1;
		long pattern2 = this.pattern2;
		long fold1 = this.fold1;
		long fold2 = this.fold2;
		int last = to - needle.length();
		int at = from;
		while (at + 7 <= last) {
			long x1 = ((long) LONGS.get(text, at + offset1) | fold1) ^ pattern1;
			long x2 = ((long) LONGS.get(text, at + offset2) | fold2) ^ pattern2;
			// Zero only where both bytes match.
			long x = x1 | x2;
			long hits = (x - LOW_BITS) & ~x & HIGH_BITS;
			if (hits == 0) {
				at += 8;
				continue;
			}
			int candidate = at + (Long.numberOfTrailingZeros(hits) >>> 3);
			if (needle.isAt(text, candidate)) {
				return candidate;
			}
			at = candidate + 1;
		}
		for (; at <= last; at++) {
			if (needle.isAt(text, at)) {
				return at;
			}
		}
		return -1;
	}

	private int findByByte(byte[] text, int from, int to) {
		// Locals, not fields, in the hot loop: the JIT keeps them in registers.
		Needle needle = this.needle;
		int offset1 = this.offset1;
		int offset2 = this.offset2;
		long pattern1 = this.pattern1;
		long fold1 = this.fold1;
		byte second = (byte) this.pattern2;
		byte fold2 = (byte) this.fold2;
		int last = to - needle.length();
		int at = from;
		while (at + 7 <= last) {
			long x = ((long) LONGS.get(text, at + offset1) | fold1) ^ pattern1;
			long hits = (x - LOW_BITS) & ~x & HIGH_BITS;
			if (hits == 0) {
				at += 8;
				continue;
			}
			int candidate = at + (Long.numberOfTrailingZeros(hits) >>> 3);
			if ((byte) (text[candidate + offset2] | fold2) == second && needle.isAt(text, candidate)) {
				return candidate;
			}
			at = candidate + 1;
		}
		for (; at <= last; at++) {
			if (needle.isAt(text, at)) {
				return at;
			}
		}
		return -1;
	}

}
