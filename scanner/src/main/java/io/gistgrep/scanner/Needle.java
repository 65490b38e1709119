package io.gistgrep.scanner;

import java.util.Arrays;

/**
 * A literal every match must contain, as UTF-8 bytes. A folded needle matches ASCII
 * letters in either case; its letters are stored in lower case.
 */
record Needle(byte[] bytes, boolean fold) {

	Needle {
		if (fold) {
			bytes = bytes.clone();
			for (int i = 0; i < bytes.length; i++) {
				if (Prefilter.isAsciiLetter(bytes[i])) {
					bytes[i] |= 0x20;
				}
			}
		}
	}

	int length() {
		return this.bytes.length;
	}

	boolean isAt(byte[] text, int at) {
		// The ends first: cheap, and most false candidates fail there.
		int last = this.bytes.length - 1;
		if (!sameByte(text[at], 0) || !sameByte(text[at + last], last)) {
			return false;
		}
		if (!this.fold) {
			return Arrays.equals(text, at, at + this.bytes.length, this.bytes, 0, this.bytes.length);
		}
		for (int i = 0; i < this.bytes.length; i++) {
			byte n = this.bytes[i];
			byte t = text[at + i];
			if (t != n && !(Prefilter.isAsciiLetter(n) && (t | 0x20) == n)) {
				return false;
			}
		}
		return true;
	}

	private boolean sameByte(byte t, int i) {
		byte n = this.bytes[i];
		return t == n || (this.fold && Prefilter.isAsciiLetter(n) && (byte) (t | 0x20) == n);
	}

	/** How rare the needle's rarest byte is: lower is rarer. */
	int commonness() {
		int best = Integer.MAX_VALUE;
		for (int i = 0; i < this.bytes.length; i++) {
			best = Math.min(best, frequencyAt(i));
		}
		return best;
	}

	int frequencyAt(int i) {
		int b = this.bytes[i] & 0xFF;
		int f = Prefilter.frequency(b);
		return (this.fold && Prefilter.isAsciiLetter(b)) ? f + Prefilter.frequency(b & ~0x20) : f;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Needle n && n.fold == this.fold && Arrays.equals(n.bytes, this.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes) * 31 + (this.fold ? 1 : 0);
	}

	@Override
	public String toString() {
		return (this.fold ? "(?i)" : "") + new String(this.bytes, java.nio.charset.StandardCharsets.UTF_8);
	}

}
