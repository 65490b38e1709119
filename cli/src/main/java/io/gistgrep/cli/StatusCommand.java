package io.gistgrep.cli;

import java.util.Objects;
import java.util.concurrent.Callable;

import io.gistgrep.cli.output.Grep;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code gistgrep status <job>}: where a job stands. */
@Command(name = "status", usageHelpAutoWidth = true, description = "Show a job: its status, progress and error.")
final class StatusCommand implements Callable<Integer> {

	@ParentCommand
	@Nullable Gistgrep root;

	@Parameters(index = "0", paramLabel = "<job>", description = "The job's id.")
	String job = "";

	@Option(names = "--json", description = "Print the job's document as the server answers it.")
	boolean json;

	@Override
	public Integer call() {
		Gistgrep root = Objects.requireNonNull(this.root);
		Shell shell = root.shell();
		JsonNode job = root.client().job(this.job);
		if (this.json) {
			shell.out().println(job.toPrettyString());
		}
		else {
			Grep safe = new Grep(false, shell.terminal().stdout());
			Times times = new Times(shell.zone());
			JsonNode progress = job.path("progress");
			JsonNode total = progress.path("gists_total");
			row(shell, "job", job.path("id").asString());
			row(shell, "status", job.path("status").asString());
			row(shell, "user", safe.plain(job.path("username").asString()));
			row(shell, "pattern", safe.plain(job.path("pattern").asString()));
			row(shell, "gists", progress.path("gists_scanned").asInt() + " scanned of "
					+ (total.isNumber() ? total.asInt() : "(still listing)") + ", "
					+ progress.path("gists_matched").asInt() + " matched, " + progress.path("gists_skipped").asInt()
					+ " skipped, " + progress.path("gists_failed").asInt() + " failed");
			String waiting = progress.path("waiting_for_github_until").asString("");
			if (!waiting.isEmpty()) {
				row(shell, "waiting", "for GitHub until " + times.local(waiting));
			}
			row(shell, "created", times.local(job.path("created_at").asString("")));
			for (String field : new String[] { "started_at", "finished_at" }) {
				if (job.hasNonNull(field)) {
					row(shell, field.substring(0, field.indexOf('_')), times.local(job.path(field).asString()));
				}
			}
			if (job.hasNonNull("error")) {
				JsonNode error = job.path("error");
				row(shell, "error",
						safe.plain(error.path("title").asString() + ": " + error.path("detail").asString()));
			}
		}
		shell.out().flush();
		return Gistgrep.FOUND;
	}

	private static void row(Shell shell, String name, String value) {
		shell.out().printf("%-9s %s%n", name, value);
	}

}
