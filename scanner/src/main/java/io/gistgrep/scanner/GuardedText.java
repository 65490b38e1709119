package io.gistgrep.scanner;

/**
 * A text that counts what the regex engine reads and stops it, by throwing
 * {@link ScanTimeoutException}, once the file's time budget is spent. The clock is read
 * once every few thousand characters.
 */
final class GuardedText implements CharSequence {

	private static final int CHECK_EVERY = 4096;

	private final String text;

	private final long deadline;

	private long reads;

	private int furthest = -1;

	GuardedText(String text, long deadline) {
		this.text = text;
		this.deadline = deadline;
	}

	@Override
	public char charAt(int index) {
		if ((++this.reads & (CHECK_EVERY - 1)) == 0) {
			ScanTimeoutException.check(this.deadline);
		}
		if (index > this.furthest) {
			this.furthest = index;
		}
		return this.text.charAt(index);
	}

	@Override
	public int length() {
		return this.text.length();
	}

	@Override
	public CharSequence subSequence(int start, int end) {
		return this.text.subSequence(start, end);
	}

	@Override
	public String toString() {
		return this.text;
	}

	/** The highest index read so far, or -1. */
	int furthest() {
		return this.furthest;
	}

	/** Characters read so far. */
	long reads() {
		return this.reads;
	}

}
