package io.gistgrep.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.gistgrep.cli.client.ApiClient;
import io.gistgrep.cli.output.Grep;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code gistgrep jobs}: the key's jobs, newest first. */
@Command(name = "jobs", sortOptions = false, usageHelpAutoWidth = true, description = "List your jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

	/** Job statuses, as the api names them. */
	enum Status {

		QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED

	}

	@ParentCommand
	@Nullable Gistgrep root;

	@Option(names = "--status", paramLabel = "STATUS",
			description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
	@Nullable Status status;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "At most N jobs (1-1000). Default: ${DEFAULT-VALUE}.")
	int limit = 20;

	@Option(names = "--all", description = "Every job, however many (pages through them).")
	boolean all;

	@Option(names = "--json", description = "Print the jobs' documents as a JSON array.")
	boolean json;

	@Override
	public Integer call() {
		Gistgrep root = Objects.requireNonNull(this.root);
		Shell shell = root.shell();
		ApiClient client = root.client();
		String filter = (this.status != null) ? this.status.name().toLowerCase(java.util.Locale.ROOT) : null;
		List<JsonNode> jobs = new ArrayList<>();
		String cursor = null;
		boolean more;
		do {
			JsonNode page = client.jobs(filter, this.all ? 1000 : this.limit, cursor);
			page.path("data").forEach(jobs::add);
			cursor = ApiClient.nextCursor(page).orElse(null);
			more = cursor != null;
		}
		while (this.all && more);
		if (this.json) {
			ArrayNode array = client.json().createArrayNode();
			jobs.forEach(array::add);
			shell.out().println(array.toPrettyString());
		}
		else {
			table(shell, jobs);
			if (more) {
				shell.say("more jobs than shown: --limit N, or --all");
			}
		}
		shell.out().flush();
		return Gistgrep.FOUND;
	}

	private static void table(Shell shell, List<JsonNode> jobs) {
		if (jobs.isEmpty()) {
			shell.say("no jobs");
			return;
		}
		Grep safe = new Grep(false, shell.terminal().stdout());
		Times times = new Times(shell.zone());
		String format = "%-36s  %-9s  %-11s  %7s  %-19s  %s%n";
		shell.out().printf(format, "ID", "STATUS", "GISTS", "MATCHED", "CREATED", "USER  PATTERN");
		for (JsonNode job : jobs) {
			JsonNode progress = job.path("progress");
			JsonNode total = progress.path("gists_total");
			shell.out()
				.printf(format, job.path("id").asString(), job.path("status").asString(),
						progress.path("gists_scanned").asInt() + "/" + (total.isNumber() ? total.asInt() : "?"),
						progress.path("gists_matched").asInt(), times.local(job.path("created_at").asString("")),
						safe.plain(job.path("username").asString() + "  " + job.path("pattern").asString()));
		}
	}

}
