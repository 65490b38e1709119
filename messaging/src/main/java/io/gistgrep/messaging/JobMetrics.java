package io.gistgrep.messaging;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.job.JobTimings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The jobs' own metrics, recorded by whichever app moves a job (the api submits and
 * cancels, the worker starts and ends), each once the transaction that made the change
 * has committed: a change that rolled back counts nothing, and a change made again (a
 * redelivery) finds the job moved already and is not made twice.
 * <ul>
 * <li>{@code gistgrep.jobs.submitted}: jobs created;</li>
 * <li>{@code gistgrep.jobs.finished} by {@code status}: jobs ended;</li>
 * <li>{@code gistgrep.jobs.duration} by {@code status}: submission to end;</li>
 * <li>{@code gistgrep.jobs.run.duration} by {@code status}: start to end;</li>
 * <li>{@code gistgrep.jobs.queued.duration}: submission to start (queued, or held by the
 * tenant's running-jobs cap);</li>
 * <li>{@code gistgrep.jobs.gists} by {@code status}: gists per ended job.</li>
 * </ul>
 * What is recorded is read once the change has committed (one indexed row, on the
 * transaction's connection): a change undone meanwhile (a repair of the reaper rolled
 * back to its savepoint) finds the job not moved and records nothing. The times are the
 * job row's: {@code started_at} and {@code finished_at} are PostgreSQL's clock,
 * {@code created_at} the api's (a skew is clamped at 0). Histograms have fixed buckets
 * (seconds: 0.5 s to 6 h; the time queued from 10 ms; gists: 1 to 100,000), for
 * {@code histogram_quantile} across replicas. Labels are bounded: a status, never a user,
 * a pattern or a job id. Recording never fails the caller: its change has committed.
 */
@Component
public class JobMetrics {

	private static final Duration[] DURATION_BUCKETS = { Duration.ofMillis(500), Duration.ofSeconds(1),
			Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
			Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6) };

	/**
	 * Most jobs start within milliseconds; a job held by its tenant's cap, much later.
	 */
	private static final Duration[] QUEUED_BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5),
			Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(6) };

	private static final double[] GIST_BUCKETS = { 1, 10, 100, 1_000, 10_000, 100_000 };

	private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);

	private final JobTimings timings;

	private final Map<JobStatus, Ended> ended = new EnumMap<>(JobStatus.class);

	private final Counter submitted;

	private final Timer queued;

	JobMetrics(JobTimings timings, MeterRegistry meters) {
		this.timings = timings;
		this.submitted = Counter.builder("gistgrep.jobs.submitted")
			.description("Jobs created by a submission (POST /jobs or the legacy endpoint; idempotent replays "
					+ "not counted)")
			.register(meters);
		this.queued = Timer.builder("gistgrep.jobs.queued.duration")
			.description("Time from a job's submission to its start: in the queue, or held by its tenant's "
					+ "running-jobs cap")
			.serviceLevelObjectives(QUEUED_BUCKETS)
			.register(meters);
		// Every ended status's meters registered now, shown from the start (at 0), so
		// that
		// a ratio has both sides.
		for (JobStatus status : JobStatus.values()) {
			if (status.isFinished()) {
				this.ended.put(status, new Ended(meters, status.value()));
			}
		}
	}

	/** A job was created, in the current transaction. */
	public void submitted(UUID jobId, String tenant, String username) {
		afterCommit(() -> {
			this.submitted.increment();
			try (LogContext context = LogContext.job(jobId)) {
				LogContext.tenant(tenant);
				log.info("Job {} submitted: the gists of {}", jobId, username);
			}
		});
	}

	/** The job started, in the current transaction. */
	public void started(UUID jobId) {
		afterCommit(() -> committed(jobId).ifPresent((timing) -> timing.queued().ifPresent((queued) -> {
			this.queued.record(queued);
			try (LogContext context = LogContext.job(jobId)) {
				LogContext.tenant(timing.tenant());
				log.info("Job {} started {} ms after its submission", jobId, queued.toMillis());
			}
		})));
	}

	/** The job ended, in the current transaction. */
	public void ended(UUID jobId) {
		afterCommit(() -> committed(jobId).filter((timing) -> timing.status().isFinished()).ifPresent((timing) -> {
			String status = timing.status().value();
			Ended meters = this.ended.get(timing.status());
			meters.finished.increment();
			timing.total().ifPresent(meters.total::record);
			timing.running().ifPresent(meters.running::record);
			if (timing.gistsTotal() != null) {
				meters.gists.record(timing.gistsTotal());
			}
			try (LogContext context = LogContext.job(jobId)) {
				LogContext.tenant(timing.tenant());
				log.info("Job {} {} {} ms after its submission ({} gists)", jobId, status,
						timing.total().map(Duration::toMillis).orElse(-1L),
						(timing.gistsTotal() != null) ? timing.gistsTotal() : "no listing of");
			}
		}));
	}

	/**
	 * The job as committed. Read after the commit on the transaction's own connection,
	 * still bound to the thread until the transaction is cleaned up: one SELECT that no
	 * commit follows (nothing to commit) and, unlike a transaction of its own, no second
	 * pooled connection, which a burst of jobs starting at once could wait for.
	 */
	private Optional<JobTimings.Timing> committed(UUID jobId) {
		return this.timings.of(jobId);
	}

	/** The meters of the jobs that ended with one status. */
	private static final class Ended {

		final Counter finished;

		final Timer total;

		final Timer running;

		final DistributionSummary gists;

		Ended(MeterRegistry meters, String status) {
			this.finished = Counter.builder("gistgrep.jobs.finished")
				.description("Jobs that ended, by their final status")
				.tag("status", status)
				.register(meters);
			this.total = Timer.builder("gistgrep.jobs.duration")
				.description("Time from a job's submission to its end")
				.tag("status", status)
				.serviceLevelObjectives(DURATION_BUCKETS)
				.register(meters);
			this.running = Timer.builder("gistgrep.jobs.run.duration")
				.description("Time from a job's start to its end")
				.tag("status", status)
				.serviceLevelObjectives(DURATION_BUCKETS)
				.register(meters);
			this.gists = DistributionSummary.builder("gistgrep.jobs.gists")
				.description(
						"Gists per ended job (its listing's total; none for a job that ended before its listing did)")
				.baseUnit("gists")
				.tag("status", status)
				.serviceLevelObjectives(GIST_BUCKETS)
				.register(meters);
		}

	}

	/**
	 * Runs {@code record} once the current transaction commits, or now outside one. It
	 * runs with this thread's MDC as it is now (the trace and the job of the change), not
	 * as it is at the commit: a batch of scans commits several jobs' changes at once,
	 * outside each job's trace.
	 */
	private static void afterCommit(Runnable record) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			record.run();
			return;
		}
		Map<String, String> now = MDC.getCopyOfContextMap();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Map<String, String> then = MDC.getCopyOfContextMap();
				MDC.setContextMap((now != null) ? now : Map.of());
				try {
					record.run();
				}
				catch (RuntimeException ex) {
					// The change has committed: its caller must not take it for a failure
					// (and redo it); a metric or a line is missing, said here.
					log.warn("Recording a job's metrics after its commit failed", ex);
				}
				finally {
					MDC.setContextMap((then != null) ? then : Map.of());
				}
			}
		});
	}

}
