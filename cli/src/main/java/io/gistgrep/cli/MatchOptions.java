package io.gistgrep.cli;

import io.gistgrep.cli.client.ApiClient;
import io.gistgrep.cli.output.Grep;
import io.gistgrep.cli.output.MatchPrinter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How matches are printed: the options {@code search} and {@code matches} share. */
final class MatchOptions {

	/** When matches are coloured. */
	enum When {

		AUTO, ALWAYS, NEVER

	}

	@ArgGroup(exclusive = true, multiplicity = "0..1")
	Format format = new Format();

	@Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", arity = "0..1", fallbackValue = "auto",
			description = "Highlight matches: auto (when stdout is a terminal and NO_COLOR is unset), "
					+ "always or never. Default: ${DEFAULT-VALUE}.")
	When color = When.AUTO;

	static final class Format {

		@Option(names = "--json", description = "Print the job and all its matches as one JSON document.")
		boolean json;

		@Option(names = "--ndjson",
				description = "Stream every matching gist as a JSON document a line, as the server exports them.")
		boolean ndjson;

		@Option(names = { "-l", "--files-with-matches" },
				description = "Print only the download URL of each matching file.")
		boolean files;

		@Option(names = { "-c", "--count" }, description = "Print only a count of matches per gist.")
		boolean count;

	}

	MatchPrinter.Format format() {
		if (this.format.json) {
			return MatchPrinter.Format.JSON;
		}
		if (this.format.ndjson) {
			return MatchPrinter.Format.NDJSON;
		}
		if (this.format.files) {
			return MatchPrinter.Format.FILES;
		}
		return this.format.count ? MatchPrinter.Format.COUNT : MatchPrinter.Format.GREP;
	}

	boolean structured() {
		return this.format.json || this.format.ndjson;
	}

	MatchPrinter printer(ApiClient client, Shell shell) {
		String noColor = shell.env().get("NO_COLOR");
		boolean colour = switch (this.color) {
			case ALWAYS -> true;
			case NEVER -> false;
			case AUTO -> shell.terminal().stdout() && (noColor == null || noColor.isEmpty());
		};
		// With colours the output is meant for a terminal, even through a pipe (less -R):
		// a gist's own escape sequences must not reach it either.
		return new MatchPrinter(client, format(), new Grep(colour, colour || shell.terminal().stdout()), shell.out(),
				shell::say);
	}

}
