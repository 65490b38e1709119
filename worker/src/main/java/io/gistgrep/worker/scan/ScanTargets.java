package io.gistgrep.worker.scan;

import java.util.Optional;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.db.gist.JobGist;
import io.gistgrep.messaging.LogContext;
import io.gistgrep.scanner.SearchPattern;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which scan tasks have something to scan, and for which pattern ({@link ScanListener}):
 * none when the task's job has ended, never listed the gist, or counted it already. Each
 * job's pattern is compiled once ({@link PatternCache}).
 */
final class ScanTargets {

	private static final Logger log = LoggerFactory.getLogger(ScanTargets.class);

	private final PatternCache patterns = new PatternCache();

	private final Counter jobEnded;

	private final Counter alreadyCounted;

	ScanTargets(MeterRegistry meters) {
		this.jobEnded = meters.counter("gistgrep.scan.job-ended");
		this.alreadyCounted = meters.counter("gistgrep.scan.already-counted");
	}

	/**
	 * The pattern to scan the gist for; null when there is nothing to scan: the job has
	 * ended, or never listed the gist, or the gist is counted already (each counted or
	 * logged).
	 */
	@Nullable SearchPattern patternFor(ScanGist task, Optional<Job> job, @Nullable JobGist jobGist) {
		LogContext.tenant(job.map(Job::tenant).orElse(null));
		// A cancelled (or failed) job's queued scans are dropped before any request to
		// GitHub.
		if (job.isEmpty() || job.get().status().isFinished()) {
			this.jobEnded.increment();
			return null;
		}
		if (jobGist == null) {
			log.warn("Dropping a scan of gist {} of job {}, which the job never listed", task.gistId(), task.jobId());
			return null;
		}
		if (!jobGist.pending()) {
			// A redelivery, or a duplicate publish after a crash: the gist is counted
			// already.
			this.alreadyCounted.increment();
			return null;
		}
		return this.patterns.of(job.get().pattern());
	}

	/**
	 * The gist and its pattern when there is something to scan, as {@link #patternFor}
	 * says, but neither counted nor logged: a batch's plan before its scans. A pattern
	 * that does not compile is left to {@link #patternFor} to fail its task.
	 */
	Optional<GistScanner.Planned> planned(Optional<Job> job, @Nullable JobGist jobGist) {
		if (job.isEmpty() || job.get().status().isFinished() || jobGist == null || !jobGist.pending()) {
			return Optional.empty();
		}
		return this.patterns.compiled(job.get().pattern())
			.map((pattern) -> new GistScanner.Planned(jobGist.gist(), pattern));
	}

}
