package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static java.lang.String.format;

/**
 * Case 5: 10-gist jobs submitted every second while a 20,000-gist job runs, each of a
 * user never seen before; their p99 time to {@code succeeded} against the target.
 */
final class FairnessCase {

	private FairnessCase() {
	}

	static void run(Settings settings, Stack stack, Api api, Report report, Supplier<String> patterns,
			int[] expectedSmall) {
		int bigGists = settings.fairnessBigGists();
		int count = settings.fairnessSmallJobs();
		String bigUser = "synthetic-" + bigGists;
		stack.flushRedis();
		Api.Submitted big = api.submit(bigUser, patterns.get());
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (api.get(big.id()).path("progress").path("gists_scanned").asInt() == 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The big job of case 5 scanned nothing in 5 minutes");
			}
			Pause.millis(50);
		}
		List<Api.Submitted> small = new ArrayList<>();
		int duringBig = 0;
		long first = System.nanoTime();
		for (int i = 1; i <= count; i++) {
			long due = first + (i - 1) * 1_000_000_000L;
			Pause.millis(Math.max(0, (due - System.nanoTime()) / 1_000_000));
			small.add(api.submit(E2eMain.smallUser(i), patterns.get()));
			if (api.get(big.id()).path("status").asString().equals("running")) {
				duringBig++;
			}
		}
		List<Api.Job> finished = new ArrayList<>();
		StringBuilder check = new StringBuilder();
		for (int i = 0; i < small.size(); i++) {
			Api.Job job = api.await(small.get(i), Duration.ofMillis(250), Duration.ofMinutes(30));
			finished.add(job);
			check.append(job.check(10, expectedSmall[i + 1]));
		}
		Api.Job bigJob = api.await(big, Duration.ofSeconds(1), Duration.ofMinutes(60));
		check.append(bigJob.check(bigGists, -1));
		double[] times = finished.stream().mapToDouble(Api.Job::serverSeconds).sorted().toArray();
		double p50 = quantile(times, 0.5);
		double p99 = quantile(times, 0.99);
		double max = times[times.length - 1];
		report.row(format("5. %d 10-gist jobs, one a second, during a %,d-gist job", count, bigGists),
				"p99 ≤ 2 s to succeeded",
				format("p50 %.2f s, p99 %.2f s, max %.2f s (%d of %d submitted while it ran)", p50, p99, max, duringBig,
						count),
				format("the big job: %.0f gists/s (%.1f s)", bigGists / bigJob.serverSeconds(), bigJob.serverSeconds()),
				p99 <= 2.0, check.toString());
		report.note("Jobs", E2eMain.jobLine("case 5 big", bigJob));
		report.note("Jobs", "case 5 small jobs, seconds (server): " + Arrays
			.toString(finished.stream().mapToDouble((job) -> Math.round(job.serverSeconds() * 100) / 100.0).toArray()));
	}

	private static double quantile(double[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.clamp(index, 0, sorted.length - 1)];
	}

}
