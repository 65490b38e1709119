package io.gistgrep.worker.scan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.common.task.Queues;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.db.gist.FileResult;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.JobGist;
import io.gistgrep.common.job.Job;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.worker.messaging.Tasks;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scans one gist (see {@link GistScanner} for where its files come from), and records the
 * gist's result and counts it, exactly once: the outcome is written only while the gist
 * is still pending, in the same transaction as the count. The message is acknowledged
 * after that commit.
 */
@Component
class ScanListener {

	private static final Logger log = LoggerFactory.getLogger(ScanListener.class);

	private final JobRepository jobs;

	private final JobTransitions transitions;

	private final GistRepository gists;

	private final GistScanner scanner;

	private final TransactionTemplate transaction;

	private final Tasks tasks;

	private final MeterRegistry meters;

	private final Map<String, SearchPattern> patterns = Collections
		.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, SearchPattern> eldest) {
				return size() > 256;
			}
		});

	ScanListener(JobRepository jobs, JobTransitions transitions, GistRepository gists, GistScanner scanner,
			TransactionTemplate transaction, Tasks tasks, MeterRegistry meters) {
		this.jobs = jobs;
		this.transitions = transitions;
		this.gists = gists;
		this.scanner = scanner;
		this.transaction = transaction;
		this.tasks = tasks;
		this.meters = meters;
	}

	@RabbitListener(queues = Queues.SCAN_GIST)
	void scan(ScanGist task, Message message) {
		// Given up: the task's revision, so that giving up on an old revision cannot
		// count a
		// gist that a later listing pass sent to be scanned again.
		this.tasks.run(message, () -> scan(task),
				(ex) -> record(task, task.revisionNumber(), GistOutcome.FAILED, ex.getMessage(), List.of()),
				(until) -> this.jobs.waitingForGitHub(task.jobId(), until));
	}

	private void scan(ScanGist task) {
		// The cheap check first: a cancelled (or failed) job's queued scans are dropped
		// with
		// one indexed lookup, before any other read or any request to GitHub.
		if (this.jobs.status(task.jobId()).map(JobStatus::isFinished).orElse(true)) {
			this.meters.counter("gistgrep.scan.job-ended").increment();
			return;
		}
		Optional<JobGist> found = this.gists.find(task.jobId(), task.gistId());
		if (found.isEmpty()) {
			log.warn("Dropping a scan of gist {} of job {}, which the job never listed", task.gistId(), task.jobId());
			return;
		}
		JobGist jobGist = found.get();
		if (!jobGist.pending()) {
			// A redelivery, or a duplicate publish after a crash: the gist is counted
			// already.
			this.meters.counter("gistgrep.scan.already-counted").increment();
			return;
		}
		Optional<Job> job = this.jobs.find(task.jobId());
		if (job.isEmpty() || job.get().status().isFinished()) {
			// Ended between the check above and now.
			this.meters.counter("gistgrep.scan.job-ended").increment();
			return;
		}
		SearchPattern pattern = this.patterns.computeIfAbsent(job.get().pattern(), SearchPattern::compile);
		GistScanner.GistScan scan = this.scanner.scan(jobGist.gist(), pattern);
		// The revision read with the files: if a later listing pass changes the gist's
		// files meanwhile, this outcome is of the old ones and is not recorded.
		record(task, jobGist.revision(), scan.outcome(), scan.error(), scan.files());
	}

	private void record(ScanGist task, int revision, GistOutcome outcome, @Nullable String error,
			List<FileResult> results) {
		boolean matched = results.stream().anyMatch((r) -> r.matchCount() > 0);
		boolean counted = Boolean.TRUE.equals(this.transaction.execute((status) -> {
			if (!this.gists.finish(task.jobId(), task.gistId(), revision, outcome, error, results)) {
				return false;
			}
			this.transitions.countGist(task.jobId(), outcome, matched);
			return true;
		}));
		if (counted) {
			this.meters.counter("gistgrep.gists", "outcome", outcome.value()).increment();
		}
	}

}
