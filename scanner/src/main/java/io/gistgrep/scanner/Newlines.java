package io.gistgrep.scanner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Counts newline bytes eight at a time, to number the lines of stored matches. */
final class Newlines {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

	private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

	private Newlines() {
	}

	static int count(byte[] bytes, int from, int to) {
		int n = 0;
		int m = 0;
		int i = from;
		// Two words a step, counted apart, so neither waits on the other.
		for (; i + 16 <= to; i += 16) {
			long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
			long y = (long) LONGS.get(bytes, i + 8) ^ NEWLINES;
			// The high bit of each byte is set exactly where x has a zero byte.
			n += Long.bitCount(~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN));
			m += Long.bitCount(~(((y & LOW_SEVEN) + LOW_SEVEN) | y | LOW_SEVEN));
		}
		n += m;
		for (; i < to; i++) {
			if (bytes[i] == '\n') {
				n++;
			}
		}
		return n;
	}

}
