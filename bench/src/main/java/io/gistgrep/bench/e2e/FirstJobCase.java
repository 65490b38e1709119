package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * Case 3: the 250-gist user as the very first job after start-up, 0 ms, cold, on
 * {@link Settings#startUps()} start-ups of the api and the workers; after the first, the
 * next job on the same apps as the reference. One first job is one sample of a wide
 * spread on a 2-core machine (0.61-1.01 s in seven runs with the same build, 2026-12-03),
 * so the figure is the median of the start-ups' first jobs, with every sample shown.
 */
final class FirstJobCase {

	private FirstJobCase() {
	}

	/**
	 * Runs the case; the apps of the last start-up stay up for the cases after it.
	 * @return the next job of the first start-up (a succeeded job, for case 4)
	 */
	static Api.Job run(Settings settings, Stack stack, Api api, Report report, SimProbe.Listing listing, int expected,
			Supplier<String> pattern) {
		String user = listing.login();
		int startUps = settings.startUps();
		StringBuilder check = new StringBuilder();
		DriverJit.Outcome<Api.Job> first = DriverJit.lowered(() -> first(stack, api, report, listing, pattern, 1));
		report.note("References", "case 3's jobs ran with " + first.summary());
		Api.Job next = DriverJit
			.lowered(() -> measured(stack, api, report, user, pattern, "case 3, the next job after start-up 1"))
			.value();
		report.note("Jobs", E2eMain.jobLine("case 3 next after start-up 1 (reference)", next));
		check.append(next.check(settings.smallUserGists(), expected));
		List<Api.Job> jobs = new ArrayList<>(List.of(first.value()));
		for (int startUp = 2; startUp <= startUps; startUp++) {
			E2eMain.say("case 3: restarting the api and the worker(s), start-up " + startUp + " of " + startUps);
			stack.restartApps(List.of());
			report.note("Start-up", "start-up " + startUp + " of case 3: " + stack.startUps());
			int number = startUp;
			jobs.add(DriverJit.lowered(() -> first(stack, api, report, listing, pattern, number)).value());
		}
		List<Double> firsts = new ArrayList<>();
		for (Api.Job job : jobs) {
			firsts.add(job.serverSeconds());
			check.append(job.check(settings.smallUserGists(), expected));
		}
		double median = median(firsts);
		List<String> samples = firsts.stream().map((seconds) -> format("%.2f", seconds)).toList();
		String measured = (startUps == 1) ? format("%.2f s", median)
				: format("median %.2f s of %d start-ups (%s s; worst %.2f s)", median, startUps,
						String.join(", ", samples), firsts.stream().mapToDouble(Double::doubleValue).max().orElse(0));
		report.row(
				format("3. %s (%d gists), very first job after start-up, 0 ms, cold", user, settings.smallUserGists()),
				(startUps == 1) ? "≤ 1 s" : "≤ 1 s (the median)", measured,
				"the next job, also cold: " + E2eMain.seconds(next), median <= 1.0, check.toString());
		report.note("Jobs", format("expected gists_matched of %s for %s: %d (%d files)", user, E2eMain.BASE_PATTERN,
				expected, listing.files()));
		return next;
	}

	/** The first job after start-up {@code startUp}. */
	private static Api.Job first(Stack stack, Api api, Report report, SimProbe.Listing listing,
			Supplier<String> pattern, int startUp) {
		E2eMain.say("case 3: " + listing.login() + " as the first job after start-up " + startUp + " (0 ms, cold)");
		Api.Job job = measured(stack, api, report, listing.login(), pattern,
				"case 3, the first job after start-up " + startUp);
		report.note("Jobs", E2eMain.jobLine("case 3 first, start-up " + startUp, job));
		return job;
	}

	/**
	 * A cold job of {@code user}, with each part's CPU in it (submission to seen
	 * succeeded) noted under CPU: where the first job's extra time goes.
	 */
	private static Api.Job measured(Stack stack, Api api, Report report, String user, Supplier<String> pattern,
			String name) {
		stack.flushRedis();
		CpuSpend start = CpuSpend.now(stack.all());
		Api.Job job = api.run(user, pattern.get(), E2eMain.POLL, Duration.ofMinutes(5));
		report.note("CPU", name + ": " + CpuSpend.now(stack.all()).perUnit(start, 1, "job", 1e3, "ms"));
		return job;
	}

	/** The median; of an even count, the mean of the middle two. */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
