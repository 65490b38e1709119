package io.gistgrep.scanner;

/**
 * Finds, in UTF-8 bytes, the places where a match could be: every match contains one of
 * them, so text without any never reaches the regex engine.
 */
interface Prefilter {

	/** Start of the first candidate in {@code [from, to)}, or -1. */
	int find(byte[] text, int from, int to);

	/** Bytes a candidate covers from its start, at most. */
	int width();

	/**
	 * How often a byte turns up in code and prose, roughly: rarer bytes are searched for.
	 */
	static int frequency(int b) {
		if (b >= 'a' && b <= 'z') {
			return LETTERS[b - 'a'];
		}
		if (b >= 'A' && b <= 'Z') {
			return 12 + LETTERS[b - 'A'] / 20;
		}
		if (b >= '0' && b <= '9') {
			return 25;
		}
		return switch (b) {
			case ' ' -> 1000;
			case '\n' -> 120;
			case '.', '(', ')', ',', '"', '=', ';' -> 50;
			case '_', '/', '-', ':', '\'', '\t', '{', '}', '*', '#' -> 20;
			default -> 5;
		};
	}

	/** English and identifier letter frequencies, per mille of letters. */
	int[] LETTERS = { 82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20,
			1 };

	static boolean isAsciiLetter(int b) {
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
	}

}
