package io.gistgrep.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Map;

import io.gistgrep.cli.output.Grep;

/**
 * What a command reads and writes beyond its arguments: the standard streams, whether
 * they are a terminal, the environment, the time zone, Ctrl-C. {@link Main} gives the
 * process's own; tests give theirs.
 */
record Shell(PrintStream out, PrintStream err, BufferedReader in, Terminal terminal, Map<String, String> env,
		ZoneId zone, Interrupts interrupts) {

	/**
	 * A one-line message on stderr, prefixed as every message of the client is. It may
	 * quote the server or a gist: on a terminal, its control characters are made
	 * harmless.
	 */
	void say(String message) {
		this.err.println("gistgrep: " + (this.terminal.stderr() ? Grep.harmless(message) : message));
		this.err.flush();
	}

}
