package io.gistgrep.bench.e2e;

import java.time.Duration;

import static java.lang.String.format;

/**
 * Case 2: the 250-gist user with {@link #LATENCY_MS} on every API and raw request of the
 * simulator, cold, read against the latency floor of the same listing.
 */
final class LatencyCase {

	static final int LATENCY_MS = 50;

	private LatencyCase() {
	}

	static Api.Job run(SimProbe sim, Stack stack, Api api, Report report, SimProbe.Listing listing, int expected,
			String pattern) {
		String user = listing.login();
		sim.latency(LATENCY_MS, LATENCY_MS);
		Api.Job job;
		try {
			stack.flushRedis();
			job = api.run(user, pattern, E2eMain.POLL, Duration.ofMinutes(5));
		}
		finally {
			sim.latency(0, 0);
		}
		int pages = listing.pages();
		int files = listing.files();
		// The content host's cap on requests in flight from all workers, which each
		// worker's adaptive limit may grow to (the bench raises it for the simulator).
		int concurrency = Stack.rawMaxConcurrency();
		double floor = floor(pages, files, concurrency);
		double floor32 = floor(pages, files, 32);
		double sequential = (2 * pages + files) * LATENCY_MS / 1e3;
		report.row(format("2. %s (%d files), %d ms API and raw latency, cold", user, files, LATENCY_MS), "≤ 1.5 s",
				E2eMain.seconds(job), format("floor %.2f s at %d in flight (%.2f s at 32; all sequential %.1f s)",
						floor, concurrency, floor32, sequential),
				job.serverSeconds() <= 1.5, job.check(listing.gists().size(), expected));
		report.note("Jobs", E2eMain.jobLine("case 2", job));
		report.note("References",
				format("latency floor of case 2 = max(2P, 1 + ⌈F / C⌉) × L: P = %d listing pages, read one after the "
						+ "other in each of the listing's two passes (the second confirms the first), F = %d files, "
						+ "C = %d raw requests in flight (GISTGREP_GITHUB_RAW_MAX_CONCURRENCY, the cap of all workers "
						+ "together), L = %d ms → %.2f s; with C = 32 (the cap's default): %.2f s; everything "
						+ "sequential, (2P + F) × L: %.1f s", pages, files, concurrency, LATENCY_MS, floor, floor32,
						sequential));
		return job;
	}

	/**
	 * The least time a job of {@code pages} listing pages and {@code files} files can
	 * take at {@link #LATENCY_MS} per request with {@code concurrency} raw requests in
	 * flight, a bound rather than an estimate: the requests of its two listing passes go
	 * one after the other, and no file is fetched before the first page is listed, after
	 * which the files take at least {@code ⌈files / concurrency⌉} rounds.
	 */
	static double floor(int pages, int files, int concurrency) {
		return Math.max(2 * pages, 1 + Math.ceil((double) files / concurrency)) * LATENCY_MS / 1e3;
	}

}
