package io.gistgrep.worker.scan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.common.messaging.Messaging;
import io.gistgrep.common.messaging.ScanGist;
import io.gistgrep.common.search.FileScan;
import io.gistgrep.common.search.ScanLimits;
import io.gistgrep.common.search.Scanner;
import io.gistgrep.common.search.SearchPattern;
import io.gistgrep.db.gist.FileResult;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.JobGist;
import io.gistgrep.db.job.Job;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.github.GitHubException;
import io.gistgrep.worker.github.GitHubProperties;
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
 * Scans one gist: fetches each file from its {@code raw_url}, runs the pattern over the
 * whole text, and records the gist's result and counts it, exactly once: the outcome is
 * written only while the gist is still pending, in the same transaction as the count.
 */
@Component
class ScanListener {

	static final String TRUNCATED = "truncated-file-list";

	static final String TOO_LARGE = "too-large";

	private static final Logger log = LoggerFactory.getLogger(ScanListener.class);

	private final JobRepository jobs;

	private final GistRepository gists;

	private final GitHubClient github;

	private final TransactionTemplate transaction;

	private final Tasks tasks;

	private final MeterRegistry meters;

	private final ScanLimits limits;

	private final long maxRawFileSize;

	private final Map<String, SearchPattern> patterns = Collections
		.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, SearchPattern> eldest) {
				return size() > 256;
			}
		});

	ScanListener(JobRepository jobs, GistRepository gists, GitHubClient github, TransactionTemplate transaction,
			Tasks tasks, MeterRegistry meters, ScanProperties scan, GitHubProperties gitHub) {
		this.jobs = jobs;
		this.gists = gists;
		this.github = github;
		this.transaction = transaction;
		this.tasks = tasks;
		this.meters = meters;
		this.limits = scan.limits();
		this.maxRawFileSize = gitHub.maxRawFileSize().toBytes();
	}

	@RabbitListener(queues = Messaging.SCAN_GIST)
	void scan(ScanGist task, Message message) {
		this.tasks.run(message, () -> scan(task), (ex) -> record(task, GistOutcome.FAILED, ex.getMessage(), List.of()));
	}

	private void scan(ScanGist task) {
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
			return;
		}
		Scanner scanner = new Scanner(this.patterns.computeIfAbsent(job.get().pattern(), SearchPattern::compile),
				this.limits);
		List<FileResult> results = new ArrayList<>();
		for (GistFile file : jobGist.gist().files()) {
			results.add(scanFile(scanner, file));
		}
		boolean truncated = jobGist.gist().truncated();
		boolean skipped = truncated || results.stream().anyMatch((r) -> r.skipReason() != null);
		record(task, skipped ? GistOutcome.SKIPPED : GistOutcome.SCANNED, truncated ? TRUNCATED : null, results);
	}

	private FileResult scanFile(Scanner scanner, GistFile file) {
		if (file.size() > this.maxRawFileSize) {
			return new FileResult(file, TOO_LARGE, 0, List.of());
		}
		byte[] content;
		try {
			content = this.github.fetchRaw(file.rawUrl());
		}
		catch (GitHubException.Unavailable ex) {
			log.info("Skipping {}: {}", file.rawUrl(), ex.getMessage());
			return new FileResult(file, ex.reason(), 0, List.of());
		}
		FileScan scan = scanner.scan(content);
		return new FileResult(file, scan.skipReason(), scan.matchCount(), scan.matches());
	}

	private void record(ScanGist task, GistOutcome outcome, @Nullable String error, List<FileResult> results) {
		boolean matched = results.stream().anyMatch((r) -> r.matchCount() > 0);
		boolean counted = Boolean.TRUE.equals(this.transaction.execute((status) -> {
			if (!this.gists.finish(task.jobId(), task.gistId(), outcome, error, results)) {
				return false;
			}
			this.jobs.countGist(task.jobId(), outcome, matched);
			return true;
		}));
		if (counted) {
			this.meters.counter("gistgrep.gists", "outcome", outcome.value()).increment();
		}
	}

}
