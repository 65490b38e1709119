package io.gistgrep.scanner;

/** The prefilter of a pattern that cannot match at all. */
final class NeverSearch implements Prefilter {

	@Override
	public int find(byte[] text, int from, int to) {
		return -1;
	}

	@Override
	public int width() {
		return 0;
	}

}
