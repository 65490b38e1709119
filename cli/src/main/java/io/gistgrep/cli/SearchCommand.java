package io.gistgrep.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.gistgrep.cli.client.ApiClient;
import io.gistgrep.cli.client.ApiProblem;
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

	/**
	 * Polls start fast, so that a small job's answer is not held back by the poll, and
	 * settle at this interval; a conditional poll costs the server one indexed read.
	 */
	static final Duration POLL = Duration.ofMillis(500);

	private static final Duration FIRST_POLL = Duration.ofMillis(100);

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
		Gistgrep root = java.util.Objects.requireNonNull(this.root);
		Shell shell = root.shell();
		if (this.webhookSecret != null && this.webhook == null) {
			shell.say("--webhook-secret needs --webhook URL (see 'gistgrep search --help')");
			return Gistgrep.ERROR;
		}
		ApiClient client = root.client();
		// Ctrl-C is recorded from before the submission on: one that comes while the job
		// is being made must still lead to the question of cancelling it.
		shell.interrupts().watch();
		JsonNode job;
		String id;
		try {
			try {
				job = client.submit(this.user, this.pattern, this.webhook, this.webhookSecret, this.idempotencyKey);
			}
			catch (ApiProblem.Failure ex) {
				if (shell.interrupts().take()) {
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
				return Gistgrep.FOUND;
			}
			job = follow(client, shell, job);
		}
		finally {
			shell.interrupts().unwatch();
		}
		if (job == null) {
			return interrupted(client, shell, id);
		}
		return switch (job.path("status").asString()) {
			case "succeeded" -> {
				long found = this.output.printer(client, shell).print(job);
				int unscanned = job.path("progress").path("gists_failed").asInt();
				if (unscanned > 0) {
					// The results are short of those gists: a search for leaked keys must
					// say so.
					shell.say(unscanned + " gists of job " + id + " could not be scanned; their matches are missing");
				}
				yield (found > 0) ? Gistgrep.FOUND : Gistgrep.NOT_FOUND;
			}
			case "failed" -> failed(shell, job);
			default -> {
				shell.say("job " + id + " was cancelled");
				yield Gistgrep.ERROR;
			}
		};
	}

	/**
	 * Polls the job until it has finished, drawing its progress; answers the finished
	 * job, or null on Ctrl-C.
	 */
	private @Nullable JsonNode follow(ApiClient client, Shell shell, JsonNode submitted) {
		long start = System.nanoTime();
		ProgressBar progress = shell.terminal().stderr()
				? new ProgressBar(shell.err(), shell.terminal().columns(), shell.zone()) : null;
		JsonNode job = submitted;
		Duration wait = FIRST_POLL;
		try {
			while (!finished(job)) {
				if (progress != null) {
					progress.show(job, Duration.ofNanos(System.nanoTime() - start));
				}
				if (shell.interrupts().await(wait)) {
					return null;
				}
				wait = (wait.compareTo(POLL) < 0) ? wait.multipliedBy(2) : POLL;
				job = client.job(job.path("id").asString());
				if (shell.interrupts().take()) {
					return null;
				}
			}
			return job;
		}
		finally {
			if (progress != null) {
				progress.clear();
			}
		}
	}

	private static boolean finished(JsonNode job) {
		return switch (job.path("status").asString()) {
			case "succeeded", "failed", "cancelled" -> true;
			default -> false;
		};
	}

	private static int failed(Shell shell, JsonNode job) {
		JsonNode error = job.path("error");
		String title = error.path("title").asString("failed");
		String detail = error.path("detail").asString("");
		shell.say("job " + job.path("id").asString() + " failed: " + title + (detail.isEmpty() ? "" : ": " + detail));
		return Gistgrep.ERROR;
	}

	/**
	 * Ctrl-C while waiting: cancel the job on the server when asked to, when the user
	 * says so, or when there is no terminal to ask on; otherwise leave it running.
	 */
	private int interrupted(ApiClient client, Shell shell, String id) throws IOException {
		boolean cancel = this.cancelOnInterrupt || !shell.terminal().stdin() || ask(shell, id);
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
