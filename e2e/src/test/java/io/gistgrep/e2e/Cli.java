package io.gistgrep.e2e;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.gistgrep.cli.Main;

/**
 * The command-line client's main class, run in this JVM against a stack, with its
 * standard streams captured.
 */
final class Cli {

	private final Map<String, String> env;

	/** The client pointed at {@code url} with {@code key}, through its environment. */
	Cli(String url, String key) {
		this.env = new HashMap<>(Map.of("GISTGREP_URL", url, "GISTGREP_API_KEY", key));
	}

	Cli(Map<String, String> env) {
		this.env = env;
	}

	Result run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = Main.run(this.env, new ByteArrayInputStream(new byte[0]),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				args);
		return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** What a run printed, and its exit status. */
	record Result(int status, String out, String err) {

		List<String> lines() {
			return this.out.lines().toList();
		}

		@Override
		public String toString() {
			return "exit " + this.status + "\n--- stdout\n" + this.out + "--- stderr\n" + this.err;
		}

	}

}
