package io.gistgrep.scanner;

/**
 * Finds a run of at least {@code length} consecutive bytes from a set: a pattern such as
 * {@code [A-Za-z]{30}} can only match inside one. The byte at the run's would-be end is
 * tested first, so text of short runs is crossed in long jumps (as Boyer-Moore does).
 */
final class ByteRunSearch implements Prefilter {

	private final boolean[] member = new boolean[256];

	private final int length;

	/**
	 * @param ascii the ASCII code points of the class
	 * @param nonAscii whether the class has code points beyond ASCII: then every byte of
	 * a multi-byte sequence counts as a member
	 */
	ByteRunSearch(boolean[] ascii, boolean nonAscii, int length) {
		for (int b = 0; b < 128; b++) {
			this.member[b] = ascii[b];
		}
		for (int b = 128; b < 256; b++) {
			this.member[b] = nonAscii;
		}
		this.length = length;
	}

	@Override
	public int width() {
		return this.length;
	}

	@Override
	public int find(byte[] text, int from, int to) {
		int start = from;
		while (start + this.length <= to) {
			int probe = start + this.length - 1;
			if (!this.member[text[probe] & 0xFF]) {
				start = probe + 1;
				continue;
			}
			int i = probe - 1;
			while (i >= start && this.member[text[i] & 0xFF]) {
				i--;
			}
			if (i < start) {
				return start;
			}
			// Bytes i+1..probe are members: extend forward, never looking at a byte
			// twice.
			start = i + 1;
			int end = start + this.length;
			int j = probe + 1;
			while (j < end && j < to && this.member[text[j] & 0xFF]) {
				j++;
			}
			if (j == end) {
				return start;
			}
			start = j + 1;
		}
		return -1;
	}

}
