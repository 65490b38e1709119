package io.gistgrep.cli;

import java.util.Objects;
import java.util.concurrent.Callable;

import io.gistgrep.cli.client.ApiClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code gistgrep matches <job>}: a job's matches, as {@code search} prints them. */
@Command(name = "matches", sortOptions = false, usageHelpAutoWidth = true,
		description = "Print a job's matches. Of a job still running: those found so far.")
final class MatchesCommand implements Callable<Integer> {

	@ParentCommand
	@Nullable Gistgrep root;

	@Parameters(index = "0", paramLabel = "<job>", description = "The job's id.")
	String job = "";

	@Mixin
	MatchOptions output = new MatchOptions();

	@Override
	public Integer call() {
		Gistgrep root = Objects.requireNonNull(this.root);
		Shell shell = root.shell();
		ApiClient client = root.client();
		JsonNode job = client.job(this.job);
		String status = job.path("status").asString();
		switch (status) {
			case "queued", "running" ->
				shell.say("job " + this.job + " is " + status + ": these are the matches found so far");
			case "cancelled" ->
				shell.say("job " + this.job + " was cancelled: these are the matches found before it stopped");
			default -> {
				// Finished: nothing to say before the matches.
			}
		}
		long gists = this.output.printer(client, shell).print(job);
		JobNotes.unscanned(job).ifPresent(shell::say);
		if (status.equals("failed")) {
			shell.say(JobNotes.failure(job));
			return Gistgrep.ERROR;
		}
		return (gists > 0) ? Gistgrep.FOUND : Gistgrep.NOT_FOUND;
	}

}
