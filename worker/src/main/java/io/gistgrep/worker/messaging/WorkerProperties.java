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
 */
@ConfigurationProperties("gistgrep.worker")
public record WorkerProperties(@DefaultValue("16") int concurrency, @DefaultValue( {
		"1s", "5s", "30s", "2m", "10m" }) List<Duration> retryDelays, @DefaultValue("30s") Duration shutdownGrace){

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

}
