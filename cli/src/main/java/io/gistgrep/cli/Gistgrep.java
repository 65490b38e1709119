package io.gistgrep.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.gistgrep.cli.client.ApiClient;
import io.gistgrep.cli.client.ApiProblem;
import io.gistgrep.cli.client.Unreachable;
import io.gistgrep.cli.client.Version;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code gistgrep}: the top command, its options shared by every subcommand, and how
 * errors become one line on stderr and exit status 2.
 */
@Command(name = "gistgrep", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
		versionProvider = Gistgrep.Versions.class, sortOptions = false, usageHelpAutoWidth = true,
		description = "Search every public gist of a GitHub user for a regular expression (RE2 syntax), "
				+ "through a gistgrep server.",
		subcommands = { SearchCommand.class, StatusCommand.class, MatchesCommand.class, JobsCommand.class,
				CancelCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class },
		footerHeading = "%nExit status:%n",
		footer = { "  0    matches found (or, for other commands, done as asked)", "  1    no matches found",
				"  2    an error: bad arguments, a problem answered by the server, a failed job",
				"  130  interrupted (Ctrl-C)", "", "Environment:", "  GISTGREP_URL      the server, if no --url",
				"  GISTGREP_API_KEY  the API key, if no --api-key (bin/gistgrep falls back to",
				"                    .run/api-key, which bin/run-local writes)",
				"  NO_COLOR          when set, --color=auto means never" })
final class Gistgrep implements Callable<Integer> {

	static final String DEFAULT_URL = "http://localhost:8080";

	/** Exit statuses, as grep's. */
	static final int FOUND = 0;

	static final int NOT_FOUND = 1;

	static final int ERROR = 2;

	static final int INTERRUPTED = 130;

	@Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
			description = { "The gistgrep server. Default: $GISTGREP_URL,", "else " + DEFAULT_URL })
	@Nullable String url;

	@Option(names = "--api-key", paramLabel = "KEY", scope = ScopeType.INHERIT,
			description = "The API key. Default: $GISTGREP_API_KEY. Prefer the variable: arguments show in ps.")
	@Nullable String apiKey;

	@Option(names = "--no-retry", scope = ScopeType.INHERIT,
			description = "Fail at once when the server rate-limits, instead of waiting as it says and retrying.")
	boolean noRetry;

	@Option(names = "--debug", scope = ScopeType.INHERIT,
			description = "Log each request on stderr, and print stack traces of errors.")
	boolean debug;

	@Spec
	@Nullable CommandSpec spec;

	private final Shell shell;

	Gistgrep(Shell shell) {
		this.shell = shell;
	}

	/**
	 * Runs the client with {@code args}; answers the exit status.
	 */
	static int run(Shell shell, String... args) {
		Gistgrep root = new Gistgrep(shell);
		CommandLine cli = new CommandLine(root);
		cli.setOut(new PrintWriter(shell.out(), true));
		cli.setErr(new PrintWriter(shell.err(), true));
		cli.setCaseInsensitiveEnumValuesAllowed(true);
		cli.setColorScheme(CommandLine.Help
			.defaultColorScheme(shell.terminal().stdout() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
		cli.setParameterExceptionHandler((ex, arguments) -> {
			shell.say(ex.getMessage().replaceFirst("^Error: ", "").replaceAll("\\s+", " ").strip() + " (see '"
					+ ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
			return ERROR;
		});
		cli.setExecutionExceptionHandler((ex, commandLine, parsed) -> root.report(ex));
		return cli.execute(args);
	}

	/** {@code gistgrep} alone: what it can do. */
	@Override
	public Integer call() {
		if (this.spec != null) {
			this.spec.commandLine().usage(this.shell.err());
		}
		return ERROR;
	}

	Shell shell() {
		return this.shell;
	}

	/** The api, as the options and the environment point to it. */
	ApiClient client() {
		return client(this.shell::say);
	}

	/**
	 * The api, with the client's notices (a rate limit waited out) going to
	 * {@code notices}.
	 */
	ApiClient client(Consumer<String> notices) {
		String server = (this.url != null) ? this.url : this.shell.env().getOrDefault("GISTGREP_URL", DEFAULT_URL);
		String key = (this.apiKey != null) ? this.apiKey : this.shell.env().get("GISTGREP_API_KEY");
		key = (key != null && !key.isBlank()) ? key.strip() : null;
		if (key != null && !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			// Said here, without the key: the JDK's own complaint about a header value
			// quotes the value.
			throw new CommandLine.ParameterException(new CommandLine(this), "The API key holds characters that an "
					+ "HTTP header cannot carry (spaces, line breaks, non-ASCII); check GISTGREP_API_KEY, --api-key or "
					+ ".run/api-key");
		}
		return new ApiClient(serverUri(server.strip()), key, new ApiClient.Settings(!this.noRetry, notices,
				this.debug ? this.shell.err() : null, this.shell.interrupts()::pause));
	}

	private URI serverUri(String server) {
		try {
			URI uri = new URI(server);
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
				return uri;
			}
		}
		catch (URISyntaxException ex) {
			// Described below, as every other unusable URL.
		}
		throw new CommandLine.ParameterException(new CommandLine(this),
				"Invalid server URL '" + server + "': give one such as " + DEFAULT_URL);
	}

	/**
	 * An error as one line on stderr (a stack trace too with {@code --debug}); answers
	 * exit status 2.
	 */
	int report(Exception ex) {
		if (this.debug) {
			ex.printStackTrace(this.shell.err());
		}
		this.shell.say(describe(ex));
		return ERROR;
	}

	/** An error in one line, with what to do about it where there is something. */
	String describe(Exception ex) {
		return switch (ex) {
			case ApiProblem.Failure failure when failure.problem().status() == 401 -> failure.problem().oneLine()
					+ " (give a key with GISTGREP_API_KEY or --api-key; bin/run-local writes one to .run/api-key)";
			case ApiProblem.Failure failure -> failure.problem().oneLine();
			case Unreachable wrong when wrong.answered() -> wrong.getMessage() + "; check --url (GISTGREP_URL)";
			case Unreachable unreachable -> unreachable.getMessage()
					+ ". Is it running? Start one with bin/run-local, or point --url (GISTGREP_URL) at yours";
			case CommandLine.ParameterException bad -> bad.getMessage();
			default -> "unexpected error: " + ex.toString().lines().findFirst().orElse("")
					+ (this.debug ? "" : " (--debug shows more)");
		};
	}

	/** {@code --version}: the jar's version and the JVM it runs on. */
	static final class Versions implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			return new String[] { "gistgrep " + Version.current(),
					"Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")" };
		}

	}

}
