package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * Case 3: the 250-gist user as the very first job after start-up, 0 ms, cold, on
 * {@link Settings#startUps()} start-ups of the api and the workers (the first on an empty
 * database, the others after a SIGTERM of the apps); after the last, the next job on the
 * same apps as the reference. One first job is one sample of a wide spread on a 2-core
 * machine (0.61-1.01 s in seven runs with the same build, 2026-12-03), so the figure is
 * the median of the start-ups' first jobs, with every sample shown.
 */
final class FirstJobCase {

	private FirstJobCase() {
	}

	/**
	 * Runs the case; the apps of the last start-up stay up for the cases after it, having
	 * run two jobs, as before there were several start-ups.
	 * @return the next job after the last start-up (a succeeded job, for case 4)
	 */
	static Api.Job run(Settings settings, Stack stack, Api api, Report report, SimProbe.Listing listing, int expected,
			Supplier<String> pattern) {
		String user = listing.login();
		int startUps = settings.startUps();
		List<Api.Job> firsts = new ArrayList<>();
		for (int startUp = 1; startUp <= startUps; startUp++) {
			if (startUp > 1) {
				E2eMain.say("case 3: restarting the api and the worker(s), start-up " + startUp + " of " + startUps);
				stack.restartApps(List.of());
				report.note("Start-up", "start-up " + startUp + " of case 3: " + stack.startUpTimes());
			}
			int number = startUp;
			DriverJit.Outcome<Api.Job> first = DriverJit.lowered(() -> {
				E2eMain.say("case 3: " + user + " as the first job after start-up " + number + " (0 ms, cold)");
				return measured(stack, api, report, user, pattern, "case 3, the first job after start-up " + number);
			});
			report.note("References", "case 3's first job after start-up " + number + " ran with " + first.summary());
			firsts.add(first.value());
		}
		Api.Job next = DriverJit
			.lowered(() -> measured(stack, api, report, user, pattern,
					"case 3, the next job after start-up " + startUps + " (reference)"))
			.value();
		StringBuilder check = new StringBuilder();
		for (Api.Job job : firsts) {
			check.append(job.check(settings.smallUserGists(), expected));
		}
		check.append(next.check(settings.smallUserGists(), expected));
		List<Double> seconds = firsts.stream().map(Api.Job::serverSeconds).toList();
		double median = Report.median(seconds);
		String measured = (startUps == 1) ? format("%.2f s", median) : format(
				"median %.2f s of %d start-ups (the first, on an empty database, %.2f s; after restarts %s s; worst %.2f s)",
				median, startUps, seconds.getFirst(),
				String.join(", ", seconds.subList(1, seconds.size()).stream().map((s) -> format("%.2f", s)).toList()),
				seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0));
		report.row(
				format("3. %s (%d gists), very first job after start-up, 0 ms, cold", user, settings.smallUserGists()),
				(startUps == 1) ? "≤ 1 s" : "≤ 1 s (the median)", measured,
				"the next job, also cold: " + E2eMain.seconds(next), median <= 1.0, check.toString());
		report.note("Jobs", format("expected gists_matched of %s for %s: %d (%d files)", user, E2eMain.BASE_PATTERN,
				expected, listing.files()));
		return next;
	}

	/**
	 * A cold job of {@code user}, noted under Jobs, with each part's CPU in it
	 * (submission to seen succeeded) under CPU: where the first job's extra time goes.
	 */
	private static Api.Job measured(Stack stack, Api api, Report report, String user, Supplier<String> pattern,
			String name) {
		stack.flushRedis();
		CpuSpend start = CpuSpend.now(stack.all());
		Api.Job job = api.run(user, pattern.get(), E2eMain.POLL, Duration.ofMinutes(5));
		CpuSpend end = CpuSpend.now(stack.all());
		report.note("Jobs", E2eMain.jobLine(name, job));
		report.note("CPU", name + ": " + end.perUnit(start, 1, "job", 1e3, "ms"));
		return job;
	}

}
