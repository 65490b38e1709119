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
		if (status.equals("queued") || status.equals("running")) {
			shell.say("job " + this.job + " is " + status + ": these are the matches found so far");
		}
		long gists = this.output.printer(client, shell).print(job);
		if (status.equals("failed")) {
			JsonNode error = job.path("error");
			shell.say("job " + this.job + " failed: " + error.path("title").asString() + ": "
					+ error.path("detail").asString());
			return Gistgrep.ERROR;
		}
		return (gists > 0) ? Gistgrep.FOUND : Gistgrep.NOT_FOUND;
	}

}
