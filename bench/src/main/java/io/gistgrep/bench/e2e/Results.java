package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * Writes {@code bench/results/e2e-<yyyy-mm-dd>[-label].md}; when that file exists, the
 * name gets {@code -2}, {@code -3}… (a run never overwrites another's results).
 */
final class Results {

	private Results() {
	}

	static Path write(Settings settings, Report report, Map<String, String> appSettings, Instant startedAt,
			Duration elapsed) throws IOException {
		Files.createDirectories(settings.resultsDir());
		String stem = "e2e-" + E2eMain.today() + (settings.label().isEmpty() ? "" : "-" + settings.label());
		Path file = settings.resultsDir().resolve(stem + ".md");
		for (int n = 2; Files.exists(file); n++) {
			file = settings.resultsDir().resolve(stem + "-" + n + ".md");
		}
		Files.writeString(file, markdown(settings, report, appSettings, startedAt, elapsed));
		return file;
	}

	private static String markdown(Settings settings, Report report, Map<String, String> appSettings, Instant startedAt,
			Duration elapsed) {
		StringBuilder md = new StringBuilder();
		md.append("# End-to-end benchmark, ").append(startedAt.truncatedTo(ChronoUnit.SECONDS)).append("\n\n");
		md.append("Written by `bench/e2e.sh").append(settings.quick() ? " --quick" : "");
		if (settings.cases().size() < 6) {
			md.append(" --cases ")
				.append(String.join(",", settings.cases().stream().sorted().map(String::valueOf).toList()));
		}
		md.append(" --workers ").append(settings.workers());
		if (settings.runs(3)) {
			md.append(" --start-ups ").append(settings.startUps());
		}
		if (!settings.label().isEmpty()) {
			md.append(" --label ").append(settings.label());
		}
		md.append("` in ").append(elapsed.toSeconds()).append(" s (issue 13).");
		if (settings.quick()) {
			md.append(" **Quick run: smaller sizes than the targets are about.**");
		}
		md.append("\n\n");
		md.append("- Machine: ").append(Machine.describe()).append('\n');
		md.append("- Commit: ").append(env("BENCH_COMMIT", "unknown")).append('\n');
		md.append("- Apps: github-sim, the api and ")
			.append(settings.workers())
			.append(" worker(s) as `java -jar` processes, against PostgreSQL (database `")
			.append(settings.database())
			.append("`, made afresh), RabbitMQ (virtual host `")
			.append(settings.vhost())
			.append("`, made afresh) and Redis (database ")
			.append(settings.redisDb())
			.append(", emptied before every case: cold caches), all on this machine.\n");
		md.append("- Settings given to the apps (the environment of `bench/e2e.sh` wins over these defaults): ");
		md.append(String.join(", ",
				appSettings.entrySet()
					.stream()
					.map((entry) -> "`" + entry.getKey() + "=" + entry.getValue() + "`")
					.toList()))
			.append(". ");
		md.append("The content host's budget (`GISTGREP_GITHUB_RAW_RATE`, `_RAW_MAX_CONCURRENCY`) is raised far "
				+ "above its polite default of 50/s and 32 for the local simulator; the read and submission rate "
				+ "limits are off and the running-jobs cap is high, as the issue allows.\n");
		md.append("- Times are the server's: `finished_at − created_at` of the job document (the client's "
				+ "submit → seen-finished time, polled every 20 ms to 1 s, 100 ms in cases 1 to 3, is in the job "
				+ "lines below).\n\n");
		md.append("## Results\n\n");
		if (!report.busyWarning.isEmpty()) {
			md.append(report.busyWarning).append("\n\n");
		}
		md.append(report.table()).append('\n');
		if (!report.failures.isEmpty()) {
			md.append("**Wrong results or failures:**\n\n");
			report.failures.forEach((failure) -> md.append("- ").append(failure).append('\n'));
			md.append('\n');
		}
		report.sections.forEach((section, lines) -> {
			md.append("## ").append(section).append("\n\n");
			boolean table = !lines.isEmpty() && lines.getFirst().startsWith("|");
			for (String line : lines) {
				md.append(table ? "" : "- ").append(line).append('\n');
			}
			md.append('\n');
		});
		md.append("## How the figures are made\n\n");
		for (String line : List.of(
				"Every job's pattern is `TODO|AKIA[0-9A-Z]{16}|QZX<run>_<n>`: the last alternative matches nothing "
						+ "the simulator generates and is new for every job, so no job hits gistgrep's scan-result "
						+ "cache, and every job of the same user must find the same gists. A job counts as right when it "
						+ "`succeeded`, its `gists_total` is the user's gist count, every gist was scanned (none "
						+ "skipped or failed), and `gists_matched` equals what `java.util.regex` finds in the user's "
						+ "files fetched from the simulator.",
				"Case 1's reference: the simulator alone, every raw file of the same user fetched by the bench "
						+ "with as many requests in flight as the workers may have (32 per worker, the ceiling their "
						+ "adaptive limit grows to by default, × workers, or --raw-concurrency); its ceiling in "
						+ "gists/s is that rate ÷ files per gist. The rate is measured right after the job, and in "
						+ "the last three warm-up rounds before the apps started (their median); the ceiling is the "
						+ "higher of the two. The same listing and fetch run before the apps start, "
						+ "in rounds, each on new connections, until the simulator's JIT compiles for under 2 % of a "
						+ "round, three rounds in a row (the CPU of its compiler threads, from `/proc/<pid>/task`; "
						+ "at most 60 s): every case and every reference meets a simulator whose JIT has settled, "
						+ "as GitHub's has. Case 1's job measures a running service (the first jobs after start-up are "
						+ "case 3's): before it, a job of another user of half as many gists runs unmeasured, then the "
						+ "bench waits, idle, in rounds of 1 s, until the api's and the workers' JIT compile for under "
						+ "2 % of a round, three rounds in a row (at most 60 s; see References); Redis is emptied "
						+ "after the warm-up. What the JIT compiles during the job counts in its CPU line.",
				"Case 2's reference: the latency floor max(2P, 1 + ⌈F / C⌉) × L, see References (a bound: no "
						+ "job can be faster).",
				"Case 3 is the first job the freshly started api and workers see, on each of --start-ups "
						+ "start-ups (the first on an empty database; before each other, the api and the workers "
						+ "are stopped with SIGTERM and started again, on the database the jobs before filled): the figure is "
						+ "the median of those first jobs, every one shown. Its reference is the next job after the "
						+ "last start-up (also cold: Redis emptied, new pattern). The CPU each part used in each job "
						+ "(submission to seen succeeded) is in the CPU section.",
				"Case 4: closed-loop load of 16 clients (one connection each, JDK HTTP client, in the bench's "
						+ "JVM on the same machine), counted after a warm-up of each, then rounds of every load until the "
						+ "api's JIT compiles for under 2 % of a round, three rounds in a row (`jvm_compilation_time_ms_total`, at most 90 s; "
						+ "the JIT's time during each counted load is in its line); `/ping` and `GET /jobs/{id}` (of case "
						+ "2's job, succeeded: the api keeps its document once read) one after the other, then "
						+ "`GET /jobs/{id}` sending `If-None-Match` with the last `ETag` seen, then, as a reference, "
						+ "`GET /jobs/{id}` of a cancelled job (read from its row every time, as a running job's is).",
				"Case 5: the small jobs are of users `bench-small-NN` (10 gists each, never seen before), "
						+ "submitted once the big job has scanned its first gist; p99 of 20 values is their maximum.",
				"Case 6: the user `bench-large` has one gist with one 10,000,000-byte file (under the 10 MB raw "
						+ "limit, so it is fetched, not cloned), one match at its end. The heap is "
						+ "`jvm_memory_used_bytes{area=\"heap\"}` summed over pools, polled every 100 ms; with "
						+ "the default (large) max heap it includes garbage not yet collected, so the second run "
						+ "with `-Xmx256m` is the proof that 256 MB suffice.",
				"CPU seconds and peak RSS (`VmHWM`) come from `/proc/<pid>` just before each process is "
						+ "stopped. RabbitMQ and Redis are shared with anything else running on the machine.",
				"CPU per gist (case 1) and per request (case 4): the CPU each part used during the step "
						+ "(`/proc/<pid>/stat` of the apps and the bench, of RabbitMQ's, Redis' and PostgreSQL's "
						+ "processes, and `/proc/stat` for the machine), divided by the gists or requests; "
						+ "\"everything else\" is the machine's busy time no part accounts for. On a machine the "
						+ "step keeps busy, a rate is bounded by cores ÷ the machine's CPU per unit: a pipeline "
						+ "that costs more CPU per gist than its reference cannot come near the reference's rate.")) {
			md.append("- ").append(line).append('\n');
		}
		return md.toString();
	}

	private static String env(String name, String otherwise) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : otherwise;
	}

}
