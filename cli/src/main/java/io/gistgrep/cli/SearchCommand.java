package io.gistgrep.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.gistgrep.cli.client.ApiClient;
import io.gistgrep.cli.client.ApiProblem;
import io.gistgrep.cli.client.Unreachable;
import io.gistgrep.cli.output.ProgressBar;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code gistgrep search <user> <pattern>}: submits a job, follows it with a progress bar
 * on a terminal's stderr, then prints its matches.
 */
@Command(name = "search", sortOptions = false, usageHelpAutoWidth = true,
		description = { "Search every public gist of <user> for <pattern>, wait for the job, print the matches.",
				"Lines are <user>/<gist_id>/<file>:<line>: <text>. Ctrl-C asks whether to cancel the job." })
final class SearchCommand implements Callable<Integer> {

	/** How often to poll when the server does not say ({@code Retry-After}). */
	static final Duration POLL = Duration.ofSeconds(2);

	/** The first polls: 100, 200, 400 ms, then as the server says. */
	private static final Duration FIRST_POLL = Duration.ofMillis(100);

	private static final Duration FAST_POLLS_UNTIL = Duration.ofMillis(400);

	/** How often the progress line is drawn again between polls (its clock moves). */
	private static final Duration REDRAW = Duration.ofMillis(500);

	@ParentCommand
	@Nullable Gistgrep root;

	@Parameters(index = "0", paramLabel = "<user>", description = "The GitHub user whose gists are searched.")
	String user = "";

	@Parameters(index = "1", paramLabel = "<pattern>",
			description = "The regular expression, in RE2 syntax (no backreferences or look-around).")
	String pattern = "";

	@Mixin
	MatchOptions output = new MatchOptions();

	@Option(names = "--no-wait", description = "Print the job's id and return at once.")
	boolean noWait;

	@Option(names = "--webhook", paramLabel = "URL",
			description = "Have the server POST the finished job to URL (Standard Webhooks, signed).")
	@Nullable String webhook;

	@Option(names = "--webhook-secret", paramLabel = "SECRET",
			description = "The webhook's signing secret (whsec_…). Without it the server makes one, "
					+ "printed once on stderr.")
	@Nullable String webhookSecret;

	@Option(names = "--idempotency-key", paramLabel = "KEY",
			description = "Run this search once: repeated with the same key, the call answers the same job.")
	@Nullable String idempotencyKey;

	@Option(names = "--cancel-on-interrupt", description = "On Ctrl-C, cancel the job on the server without asking "
			+ "(without a terminal to ask on, it is always cancelled).")
	boolean cancelOnInterrupt;

	@Override
	public Integer call() throws IOException {
		Gistgrep root = Objects.requireNonNull(this.root);
		Shell shell = root.shell();
		if (this.webhookSecret != null && this.webhook == null) {
			shell.say("--webhook-secret needs --webhook URL (see 'gistgrep search --help')");
			return Gistgrep.ERROR;
		}
		if (this.idempotencyKey != null && (this.idempotencyKey.isEmpty() || this.idempotencyKey.length() > 255
				|| !this.idempotencyKey.chars().allMatch((c) -> c > 0x20 && c < 0x7f))) {
			// It travels in a header: printable ASCII only, as the api's keys.
			shell.say("--idempotency-key must be 1 to 255 printable ASCII characters, without spaces");
			return Gistgrep.ERROR;
		}
		ProgressBar progress = shell.terminal().stderr()
				? new ProgressBar(shell.err(), shell.terminal().columns(), shell.zone()) : null;
		// A notice (a rate limit waited out) takes the progress line's place, not a part
		// of it.
		ApiClient client = root.client((notice) -> {
			if (progress != null) {
				progress.clear();
			}
			shell.say(notice);
		});
		String id;
		Optional<JsonNode> finished;
		// Ctrl-C is recorded from before the submission on: one that comes while the job
		// is being made must still lead to the question of cancelling it.
		shell.interrupts().watch();
		try {
			JsonNode job;
			try {
				job = client.submit(this.user, this.pattern, this.webhook, this.webhookSecret, this.idempotencyKey);
			}
			catch (ApiProblem.Failure ex) {
				if (ex.problem().status() == 429 && shell.interrupts().take()) {
					// Ctrl-C cut a wait for a rate limit short: no job was made.
					shell.say("interrupted while rate limited; no job was made");
					return Gistgrep.INTERRUPTED;
				}
				throw ex;
			}
			id = job.path("id").asString();
			String secret = job.path("webhook").path("secret").asString("");
			if (!secret.isEmpty()) {
				shell.say("webhook secret of job " + id + " (shown only now): " + secret);
			}
			if (this.noWait) {
				shell.out().println(id);
				shell.out().flush();
				return shell.interrupts().take() ? Gistgrep.INTERRUPTED : Gistgrep.FOUND;
			}
			try {
				finished = follow(client, shell, progress, job);
			}
			catch (ApiProblem.Failure | Unreachable ex) {
				if (!shell.interrupts().take()) {
					// The job goes on without us: say which, or it is lost to the user.
					shell.say(root.describe(ex) + "; job " + id + " goes on: gistgrep status " + id);
					return Gistgrep.ERROR;
				}
				// Ctrl-C cut a wait for a rate limit short.
				finished = Optional.empty();
			}
		}
		finally {
			shell.interrupts().unwatch();
		}
		// A Ctrl-C that came just before the wait ended counts as well.
		if (finished.isEmpty() || shell.interrupts().take()) {
			return interrupted(client, shell, id);
		}
		return outcome(client, shell, finished.get());
	}

	/**
	 * Polls the job until it has finished, drawing its progress; answers the finished
	 * job, or nothing on Ctrl-C. The first polls come quickly, so that a small job's
	 * answer is not held back; then as often as the server's {@code Retry-After} asks,
	 * each a conditional request ({@code 304} while nothing changed).
	 */
	private Optional<JsonNode> follow(ApiClient client, Shell shell, @Nullable ProgressBar progress,
			JsonNode submitted) {
		long start = System.nanoTime();
		String id = submitted.path("id").asString();
		JsonNode job = submitted;
		String etag = null;
		Duration wait = FIRST_POLL;
		Duration serverWait = POLL;
		try {
			while (!finished(job)) {
				long due = System.nanoTime() + wait.toNanos();
				do {
					// The clock on the progress line moves between polls.
					if (progress != null) {
						progress.show(job, Duration.ofNanos(System.nanoTime() - start));
					}
					long left = Math.min(due - System.nanoTime(), REDRAW.toNanos());
					if (shell.interrupts().await(Duration.ofNanos(Math.max(left, 0)))) {
						return Optional.empty();
					}
				}
				while (System.nanoTime() < due);
				ApiClient.Poll poll = client.poll(id, etag);
				if (shell.interrupts().take()) {
					return Optional.empty();
				}
				job = poll.document().orElse(job);
				etag = poll.etag();
				serverWait = poll.retryAfter().map(SearchCommand::sane).orElse(serverWait);
				wait = (wait.compareTo(FAST_POLLS_UNTIL) < 0) ? wait.multipliedBy(2) : serverWait;
			}
			return Optional.of(job);
		}
		finally {
			if (progress != null) {
				progress.clear();
			}
		}
	}

	/** A server's poll interval, kept between a redraw and half a minute. */
	private static Duration sane(Duration retryAfter) {
		return (retryAfter.compareTo(REDRAW) < 0) ? REDRAW
				: (retryAfter.compareTo(Duration.ofSeconds(30)) > 0) ? Duration.ofSeconds(30) : retryAfter;
	}

	private int outcome(ApiClient client, Shell shell, JsonNode job) {
		return switch (job.path("status").asString()) {
			case "succeeded" -> {
				long found = this.output.printer(client, shell).print(job);
				JobNotes.unscanned(job).ifPresent(shell::say);
				yield (found > 0) ? Gistgrep.FOUND : Gistgrep.NOT_FOUND;
			}
			case "failed" -> {
				shell.say(JobNotes.failure(job));
				yield Gistgrep.ERROR;
			}
			default -> {
				shell.say("job " + job.path("id").asString() + " was cancelled");
				yield Gistgrep.ERROR;
			}
		};
	}

	private static boolean finished(JsonNode job) {
		return switch (job.path("status").asString()) {
			case "succeeded", "failed", "cancelled" -> true;
			default -> false;
		};
	}

	/**
	 * Ctrl-C while waiting: cancel the job on the server when asked to, when the user
	 * says so, or when there is no terminal to ask on; otherwise leave it running.
	 */
	private int interrupted(ApiClient client, Shell shell, String id) throws IOException {
		// Asked only where the question can be seen and answered.
		boolean cancel = this.cancelOnInterrupt || !shell.terminal().stdin() || !shell.terminal().stderr()
				|| ask(shell, id);
		if (!cancel) {
			shell.say("job " + id + " keeps running; follow it with: gistgrep status " + id);
			return Gistgrep.INTERRUPTED;
		}
		try {
			client.cancel(id);
			shell.say("cancelled job " + id);
		}
		catch (ApiProblem.Failure ex) {
			if (ex.problem().status() != 409) {
				throw ex;
			}
			shell.say("job " + id + " had already finished: gistgrep matches " + id);
		}
		return Gistgrep.INTERRUPTED;
	}

	/** Asks on the terminal; a second Ctrl-C leaves at once, the job untouched. */
	private static boolean ask(Shell shell, String id) throws IOException {
		shell.err().print("\ngistgrep: cancel job " + id + " on the server? [y/N] ");
		shell.err().flush();
		String answer = shell.in().readLine();
		return answer != null && answer.strip().toLowerCase(Locale.ROOT).matches("y|yes");
	}

}
