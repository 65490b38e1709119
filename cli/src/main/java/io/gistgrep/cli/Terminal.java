package io.gistgrep.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of the standard streams are a terminal, and how wide it is. Java cannot tell
 * stdout from stderr here ({@link System#console()} speaks for stdin and stdout
 * together), so {@code bin/gistgrep} asks the shell ({@code [ -t 2 ]}) and passes the
 * answers in {@code -Dgistgrep.tty=in,out,err} and {@code -Dgistgrep.columns=N}.
 *
 * @param stdin answers to a prompt can be read from it
 * @param stdout matches are coloured and control characters shown safely
 * @param stderr the progress bar is drawn
 * @param columns the width the progress bar fits in
 */
record Terminal(boolean stdin, boolean stdout, boolean stderr, int columns) {

	static final int DEFAULT_COLUMNS = 80;

	/** No terminal at all: a script, a pipe, a test. */
	static Terminal none() {
		return new Terminal(false, false, false, DEFAULT_COLUMNS);
	}

	static Terminal detect(Map<String, String> env) {
		int columns = columns(System.getProperty("gistgrep.columns"), env.get("COLUMNS"));
		String tty = System.getProperty("gistgrep.tty");
		if (tty != null) {
			Set<String> streams = Arrays.stream(tty.split(",")).map(String::strip).collect(Collectors.toSet());
			return new Terminal(streams.contains("in"), streams.contains("out"), streams.contains("err"), columns);
		}
		java.io.Console console = System.console();
		boolean terminal = console != null && console.isTerminal();
		return new Terminal(terminal, terminal, terminal, columns);
	}

	private static int columns(String... candidates) {
		for (String candidate : candidates) {
			if (candidate != null && candidate.matches("\\d{1,4}") && Integer.parseInt(candidate) > 0) {
				return Integer.parseInt(candidate);
			}
		}
		return DEFAULT_COLUMNS;
	}

}
