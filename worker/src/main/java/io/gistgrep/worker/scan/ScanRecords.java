package io.gistgrep.worker.scan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.db.gist.GistFinish;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.ListingRepository;
import io.gistgrep.db.job.JobTransition;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.worker.messaging.WorkerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records scan outcomes exactly once: a gist moves out of pending only at the revision it
 * was scanned at, in the transaction that counts it on its job and sends the job's next
 * scan tasks (its window, {@code GISTGREP_WORKER_SCAN_WINDOW_PER_JOB}).
 */
@Component
class ScanRecords {

	private final GistRepository gists;

	private final JobTransitions transitions;

	private final TransactionTemplate transaction;

	private final Outbox outbox;

	/** The most scan tasks of a job on their way at once. */
	private final int window;

	/** The window of a job that has counted none of its gists yet. */
	private final int startWindow;

	private final Map<GistOutcome, Counter> outcomes = new EnumMap<>(GistOutcome.class);

	ScanRecords(GistRepository gists, JobTransitions transitions, TransactionTemplate transaction, Outbox outbox,
			WorkerProperties worker, MeterRegistry meters) {
		this.gists = gists;
		this.transitions = transitions;
		this.transaction = transaction;
		this.outbox = outbox;
		this.window = worker.scan().windowPerJob();
		this.startWindow = worker.scan().startWindowPerJob();
		for (GistOutcome outcome : GistOutcome.values()) {
			this.outcomes.put(outcome, meters.counter("gistgrep.gists", "outcome", outcome.value()));
		}
	}

	/**
	 * Records the batch's outcomes in one transaction: every gist moved out of pending
	 * with one statement, their files and matches inserted with one each, and each job's
	 * counters updated once, in job id order (so that two batches of the same jobs lock
	 * their rows in the same order). Each job's count runs in {@code traces}' observation
	 * of that job, if any (one of its messages'), so that what the count sets off (the
	 * job's end, its webhook, its next scans) continues that message's trace.
	 */
	void recordAll(List<GistFinish> finishes, Map<UUID, Observation> traces) {
		List<GistFinish> recorded = this.transaction.execute((status) -> {
			List<GistFinish> moved = this.gists.finishAll(finishes);
			Map<UUID, Counts> counts = new TreeMap<>();
			for (GistFinish finish : moved) {
				counts.computeIfAbsent(finish.jobId(), (id) -> new Counts()).add(finish);
			}
			counts.forEach((jobId, count) -> inTrace(traces.get(jobId), () -> releaseNext(jobId,
					this.transitions.countGists(jobId, count.scanned, count.skipped, count.failed, count.matched))));
			return moved;
		});
		for (GistFinish finish : recorded) {
			this.outcomes.get(finish.outcome()).increment();
		}
	}

	private static void inTrace(@Nullable Observation observation, Runnable work) {
		if (observation == null) {
			work.run();
		}
		else {
			observation.scoped(work);
		}
	}

	/**
	 * Sends the job's next scan tasks, as many as the gists just counted made room for in
	 * its window, in the counting transaction (the job's row is locked by the count).
	 */
	private void releaseNext(UUID jobId, JobTransition counted) {
		if (counted.after().isFinished()) {
			return;
		}
		List<ScanGist> next = new ArrayList<>();
		for (ListingRepository.GistRevision gist : this.gists.release(jobId, this.window, this.startWindow)) {
			next.add(new ScanGist(jobId, gist.gistId(), gist.revision()));
		}
		this.outbox.addAll(Queues.SCAN_GIST, next);
	}

	/** Records one gist's outcome in a transaction of its own. */
	void record(GistFinish finish) {
		boolean counted = Boolean.TRUE.equals(this.transaction.execute((status) -> {
			if (this.gists.finishAll(List.of(finish)).isEmpty()) {
				return false;
			}
			releaseNext(finish.jobId(), this.transitions.countGist(finish.jobId(), finish.outcome(), finish.matched()));
			return true;
		}));
		if (counted) {
			this.outcomes.get(finish.outcome()).increment();
		}
	}

	/** One job's share of a batch's outcomes. */
	private static final class Counts {

		int scanned;

		int skipped;

		int failed;

		int matched;

		void add(GistFinish finish) {
			switch (finish.outcome()) {
				case SCANNED -> this.scanned++;
				case SKIPPED -> this.skipped++;
				case FAILED -> this.failed++;
			}
			if (finish.matched()) {
				this.matched++;
			}
		}

	}

}
