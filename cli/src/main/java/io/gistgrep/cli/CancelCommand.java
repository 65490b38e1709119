package io.gistgrep.cli;

import java.util.Objects;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code gistgrep cancel <job>}. */
@Command(name = "cancel", usageHelpAutoWidth = true,
		description = "Cancel a job: it ends cancelled, and its queued scans are dropped.")
final class CancelCommand implements Callable<Integer> {

	@ParentCommand
	@Nullable Gistgrep root;

	@Parameters(index = "0", paramLabel = "<job>", description = "The job's id.")
	String job = "";

	@Override
	public Integer call() {
		Gistgrep root = Objects.requireNonNull(this.root);
		JsonNode job = root.client().cancel(this.job);
		JsonNode progress = job.path("progress");
		root.shell()
			.out()
			.println("cancelled job " + job.path("id").asString() + " (" + progress.path("gists_scanned").asInt()
					+ " gists scanned, " + progress.path("gists_matched").asInt() + " matched)");
		root.shell().out().flush();
		return Gistgrep.FOUND;
	}

}
