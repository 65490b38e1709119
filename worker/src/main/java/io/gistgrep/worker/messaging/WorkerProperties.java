package io.gistgrep.worker.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker consumes ({@code GISTGREP_WORKER_*}).
 *
 * @param concurrency consumers per queue; they run on virtual threads and mostly wait on
 * I/O, so this can be well above the core count
 * @param retryDelays the wait before each retry of a failed task (with up to 50% jitter);
 * a task is given up after {@code retryDelays.size() + 1} attempts
 * @param shutdownGrace how long a worker told to stop (SIGTERM) lets the tasks in flight
 * finish; what is still running then goes back to its queue unacknowledged, to be
 * redelivered (see {@link GracefulShutdown})
 * @param scan how the scan queue is consumed: in batches ({@code GISTGREP_WORKER_SCAN_*})
 */
@ConfigurationProperties("gistgrep.worker")
public record WorkerProperties(@DefaultValue("16") int concurrency, @DefaultValue( {
		"1s", "5s", "30s", "2m", "10m" }) List<Duration> retryDelays, @DefaultValue("30s") Duration shutdownGrace,
		@DefaultValue Scan scan){

	public WorkerProperties {
		if (concurrency < 1) {
			throw new IllegalArgumentException("gistgrep.worker.concurrency must be at least 1");
		}
		retryDelays = List.copyOf(retryDelays);
		if (shutdownGrace.isNegative()) {
			throw new IllegalArgumentException("gistgrep.worker.shutdown-grace cannot be negative");
		}
	}

	/** The retries of a failed scan or listing task. */
	public RetrySchedule retries() {
		return RetrySchedule.of(this.retryDelays);
	}

	/**
	 * How the scan queue is consumed: each consumer takes a batch of up to
	 * {@code batchSize} messages, scans their gists concurrently and records them in one
	 * transaction.
	 *
	 * @param concurrency consumers of the scan queue; each has up to {@code batchSize}
	 * gists in flight, so a few keep a worker busy (two: one records its batch while the
	 * other scans)
	 * @param batchSize messages per batch; each consumer prefetches twice as many, so the
	 * next batch is in hand while one is recorded. Each batch costs a transaction, a
	 * count on each of its jobs' rows, a fan-out of the next scans and a few round trips
	 * to Redis, whatever its size: two consumers of 100 spent a quarter less of the
	 * machine's CPU per gist than four of 50, with as many gists in flight (bench/e2e.sh
	 * case 1, 2026-12-03)
	 * @param batchWait how long a consumer waits for more messages before it runs the
	 * batch it has: the most a lone message waits for company
	 * @param windowPerJob the most scan tasks of one job on their way at once (in the
	 * queue, prefetched or running); each batch that counts some of a job's gists sends
	 * as many more. A big job thus holds at most this much of the queue, and another
	 * job's tasks wait behind that, not behind all of its gists. 0 sends every task at
	 * once.
	 * @param startWindowPerJob the window of a job that has counted none of its gists
	 * yet; it narrows by one per gist counted, down to {@code windowPerJob}. A job of up
	 * to this many gists thus has them all on their way as soon as they are listed, and
	 * waits for no refill, while a big job holds this much of the queue only at its start
	 * and {@code windowPerJob} from then on. Below {@code windowPerJob}, it is
	 * {@code windowPerJob}.
	 */
	public record Scan(@DefaultValue("2") int concurrency, @DefaultValue("100") int batchSize,
			@DefaultValue("50ms") Duration batchWait, @DefaultValue("200") int windowPerJob,
			@DefaultValue("300") int startWindowPerJob) {

		public Scan {
			if (concurrency < 1) {
				throw new IllegalArgumentException("gistgrep.worker.scan.concurrency must be at least 1");
			}
			if (batchSize < 1) {
				throw new IllegalArgumentException("gistgrep.worker.scan.batch-size must be at least 1");
			}
			if (batchWait.isNegative() || batchWait.isZero()) {
				throw new IllegalArgumentException("gistgrep.worker.scan.batch-wait must be positive");
			}
		}

		/** What each consumer of the scan queue prefetches: two batches. */
		public int prefetch() {
			return 2 * this.batchSize;
		}

	}

}
