package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.lang.String.format;

/**
 * Readies the apps for case 1, which measures the pipeline of a running service (the
 * first jobs after start-up, JIT included, are case 3's): a job of another user, of half
 * as many gists, that is not measured, then an idle wait until the api's and the workers'
 * JIT has settled. Without it, case 1's job was the third the apps saw, and they compiled
 * its paths while it ran: the api's JIT made some 1,400 compilations after its submission
 * (`-XX:+PrintCompilation`: its polls, traced, and the fan-outs its relay publishes; the
 * api used 0.4-0.6 ms of CPU per gist on a slow machine, about half of it compiling), and
 * the worker's C1 took about a tenth of its CPU
 * (e2e-2026-12-03-{base,direct,prof1,prof2,apicomp}*-31). Caches stay cold: the warm-up
 * user's files are not case 1's, and Redis is emptied after it. What the JIT still
 * compiles during case 1's job counts in its CPU line.
 */
final class ThroughputWarmup {

	private ThroughputWarmup() {
	}

	static void run(Settings settings, Stack stack, Api api, Report report, String pattern, int gists) {
		int warmGists = gists / 2;
		String warmUser = "synthetic-" + warmGists;
		Api.Job warm = api.run(warmUser, pattern, E2eMain.POLL, Duration.ofMinutes(30));
		report.note("Jobs", E2eMain.jobLine("case 1's warm-up (not measured)", warm));
		if (!warm.status().equals("succeeded")) {
			// Not measured, but a pipeline that fails a job is broken for case 1 too.
			report.failures.add("case 1's warm-up job of " + warmUser + " ended " + warm.status());
		}
		List<Long> pids = new ArrayList<>();
		pids.add(stack.api().pid());
		stack.workers().forEach((worker) -> pids.add(worker.pid()));
		JitSettling.Outcome settled = JitSettling.settle(() -> ProcStats.jitMillis(pids),
				"/proc/<pid>/task of the api and the workers (their compiler threads)",
				Duration.ofSeconds(settings.quick() ? 10 : 60), () -> Pause.millis(1000));
		report.note("References",
				format("case 1's job ran after a warm-up job of %s (%.0f gists/s), then idle rounds of 1 s until the "
						+ "api's and the workers' JIT settled: %s", warmUser, warmGists / warm.serverSeconds(),
						settled.summary()));
	}

}
