package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * Warms github-sim and the bench driver up before any app starts, until their JIT has
 * settled.
 */
final class SimWarmup {

	private SimWarmup() {
	}

	/**
	 * The simulator stands in for GitHub, whose CPU is not ours: it is warmed up on the
	 * work of case 1's reference before any app starts, in rounds until its JIT has
	 * settled, so that no case pays for its JIT. Warmed once, over 10,000 requests, it
	 * was still compiling: its compiler threads took 0.3-0.4 s of CPU during case 3's
	 * first job, and 70 % of its CPU during case 1 before it was warmed at all. The
	 * driver's own steps around a job are rehearsed in the same rounds
	 * ({@link DriverSteps}), until its JIT settles too.
	 * @param user the user whose listing and files each round fetches
	 * @param expected the pattern the files are matched against, as in case 1's reference
	 * @return each round's fetch of every raw file, in order: the simulator's own
	 * throughput before any app ran, which case 1 reads its ceiling from too
	 */
	static List<SimProbe.Fetch> run(Settings settings, Stack stack, Report report, String user, Pattern expected) {
		List<SimProbe.Fetch> fetches = new ArrayList<>();
		long pid = stack.sim().pid();
		long self = ProcessHandle.current().pid();
		JitSettling.Outcome settled = JitSettling.settle(() -> ProcStats.jitMillis(pid, self),
				"/proc/" + pid + "/task and /proc/" + self + "/task (github-sim's and the driver's compiler threads)",
				Duration.ofSeconds(settings.quick() ? 10 : 60), () -> {
					// A client of its own each round: the apps' clients open connections
					// of their own, and the simulator's code that accepts a connection
					// must be warm too (with the run's kept-alive connections it was
					// not, and its C2 compiled it again during the first job). The
					// listing is asked as the worker asks it (SimProbe.page).
					try (Http fresh = new Http()) {
						SimProbe probe = new SimProbe(fresh, settings.simUrl());
						SimProbe.Listing listing = probe.list(user);
						// A job's second listing pass: If-None-Match, 304s.
						probe.relist(listing);
						fetches.add(probe.fetchAll(listing, settings.totalRawConcurrency(), expected));
						DriverSteps.rehearse(fresh, settings.simUrl(), stack.sim());
					}
				});
		report.note("References", format(
				"github-sim's and the bench driver's JIT before the apps started, rounds of listing %s and fetching "
						+ "its raw files, and of the driver's own steps around a job: %s",
				user, settled.summary()));
		return fetches;
	}

}
