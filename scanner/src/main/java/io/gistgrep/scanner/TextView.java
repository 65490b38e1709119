package io.gistgrep.scanner;

/** A text from an offset on, without copying it. */
final class TextView implements CharSequence {

	private final CharSequence text;

	private final int offset;

	TextView(CharSequence text, int offset) {
		this.text = text;
		this.offset = offset;
	}

	@Override
	public char charAt(int index) {
		return this.text.charAt(this.offset + index);
	}

	@Override
	public int length() {
		return this.text.length() - this.offset;
	}

	@Override
	public CharSequence subSequence(int start, int end) {
		return this.text.subSequence(this.offset + start, this.offset + end);
	}

	@Override
	public String toString() {
		return this.text.subSequence(this.offset, this.text.length()).toString();
	}

}
