package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;

/**
 * Maps byte offsets of the UTF-8 file to char offsets of its decoded text, moving forward
 * only.
 */
final class CharIndex {

	private final byte[] bytes;

	private final boolean identity;

	private final boolean wellFormed;

	private int bytePos;

	private int charPos;

	CharIndex(byte[] bytes, String text) {
		this.bytes = bytes;
		// Without replacement characters the bytes were well-formed UTF-8; with as
		// many chars as bytes they were then all ASCII.
		this.wellFormed = text.indexOf('\uFFFD') < 0;
		this.identity = this.wellFormed && text.length() == bytes.length;
	}

	int at(int byteOffset) {
		if (this.identity) {
			return byteOffset;
		}
		if (this.wellFormed) {
			for (int i = this.bytePos; i < byteOffset; i++) {
				int b = this.bytes[i];
				if ((b & 0xC0) != 0x80) {
					this.charPos++;
				}
				if ((b & 0xF8) == 0xF0) {
					// Four bytes make a surrogate pair.
					this.charPos++;
				}
			}
		}
		else {
			this.charPos += new String(this.bytes, this.bytePos, byteOffset - this.bytePos, StandardCharsets.UTF_8)
				.length();
		}
		this.bytePos = byteOffset;
		return this.charPos;
	}

}
