package io.gistgrep.sim;

/**
 * What a request asked for, as {@link SimCounters#requests(String, int)} labels it.
 */
enum RequestKind {

	LIST("list"), GIST("gist"), RAW("raw"), RATE_LIMIT("rate_limit"), GIT("git"), OTHER("other");

	private final String label;

	RequestKind(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

}
