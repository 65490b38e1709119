package io.gistgrep.bench.e2e;

import java.util.List;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * Case 1's reference: github-sim's own raw throughput, in gists/s, measured twice: in the
 * last warm-up rounds before any app started, and right after case 1's job. The higher of
 * the two is the ceiling, so the target is never lowered by whatever state the job left
 * behind. Measured after the job alone, the ceiling came out about twice as high after a
 * job of the worker on Jetty's client as after one on the JDK's (2,008-2,261 against
 * 853-1,105 gists/s, 2026-12-03, cause not found), so one measurement could not be
 * trusted.
 *
 * @param before the median rate of the last warm-up rounds (fresh clients, the JIT
 * settled unless the warm-up hit its time limit), in raw GETs/s, or 0 when there were
 * none
 * @param beforeRounds how many rounds the median is of
 * @param after the fetch right after the job
 * @param filesPerGist the user's files per gist
 */
record SimCeiling(double before, int beforeRounds, SimProbe.Fetch after, double filesPerGist) {

	/**
	 * The warm-up rounds whose median counts: the last ones, where the JIT has settled
	 * most.
	 */
	static final int LAST_ROUNDS = 3;

	static SimCeiling of(List<SimProbe.Fetch> warmupRounds, SimProbe.Fetch after, int gists) {
		List<Double> last = warmupRounds.subList(Math.max(0, warmupRounds.size() - LAST_ROUNDS), warmupRounds.size())
			.stream()
			.map(SimProbe.Fetch::requestsPerSecond)
			.toList();
		double before = last.isEmpty() ? 0 : Report.median(last);
		return new SimCeiling(before, last.size(), after, (double) after.files() / gists);
	}

	/** The simulator's raw GETs/s: the higher of the two measurements. */
	double requestsPerSecond() {
		return Math.max(this.before, this.after.requestsPerSecond());
	}

	/** The ceiling in gists/s. */
	double gistsPerSecond() {
		return requestsPerSecond() / this.filesPerGist;
	}

	/** Both measurements, for the report. */
	String summary() {
		String beforeText = (this.beforeRounds == 0) ? "no warm-up round before the apps"
				: format("%.0f GETs/s before the apps started (median of the last %d warm-up round(s)) → %.0f gists/s",
						this.before, this.beforeRounds, this.before / this.filesPerGist);
		return format("%s; %.0f GETs/s right after case 1's job → %.0f gists/s; the ceiling is the higher", beforeText,
				this.after.requestsPerSecond(), this.after.requestsPerSecond() / this.filesPerGist);
	}

}
