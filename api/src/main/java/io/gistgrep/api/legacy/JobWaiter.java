package io.gistgrep.api.legacy;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.gistgrep.db.job.JobKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for jobs to end, for any number of waiting requests at once: one ticker asks the
 * database, once per tick, which of all the awaited jobs have ended (one query, however
 * many requests wait, and none while nobody waits). Jobs are ended by workers in other
 * processes, so asking the database is the one signal every replica sees.
 */
final class JobWaiter implements AutoCloseable {

	/** Which of these jobs have ended. */
	@FunctionalInterface
	interface EndedJobs {

		Set<JobKey> among(Collection<JobKey> jobs);

	}

	private static final Logger log = LoggerFactory.getLogger(JobWaiter.class);

	private final EndedJobs ended;

	private final Map<JobKey, CompletableFuture<Boolean>> waiting = new ConcurrentHashMap<>();

	private final ScheduledExecutorService ticker = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("legacy-job-waiter").daemon().factory());

	// Waiters continue (read the job's results, answer the request) on their own virtual
	// thread, never on the ticker's.
	private final ExecutorService continuations = Executors.newVirtualThreadPerTaskExecutor();

	JobWaiter(EndedJobs ended, Duration tick) {
		this.ended = ended;
		this.ticker.scheduleWithFixedDelay(this::tick, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Completes with true once the job has ended, or with false when it has not ended
	 * within {@code timeout}.
	 */
	CompletableFuture<Boolean> awaitEnd(JobKey job, Duration timeout) {
		CompletableFuture<Boolean> end = new CompletableFuture<>();
		if (this.waiting.putIfAbsent(job, end) != null) {
			throw new IllegalStateException("Job " + job + " is already awaited");
		}
		end.whenComplete((result, failure) -> this.waiting.remove(job, end));
		end.completeOnTimeout(false, timeout.toNanos(), TimeUnit.NANOSECONDS);
		return end;
	}

	/** How many jobs are awaited now. */
	int awaited() {
		return this.waiting.size();
	}

	/** One round: a single query for every awaited job. */
	void tick() {
		if (this.waiting.isEmpty()) {
			return;
		}
		Set<JobKey> done;
		try {
			done = this.ended.among(Set.copyOf(this.waiting.keySet()));
		}
		catch (RuntimeException ex) {
			// The next tick tries again; a request whose job never shows as ended in time
			// answers "pending", as it would for a slow job.
			log.warn("Could not check whether awaited jobs have ended", ex);
			return;
		}
		for (JobKey job : done) {
			CompletableFuture<Boolean> end = this.waiting.remove(job);
			if (end != null) {
				this.continuations.execute(() -> end.complete(true));
			}
		}
	}

	@Override
	public void close() {
		this.ticker.shutdownNow();
		this.waiting.values().forEach((end) -> end.complete(false));
		this.continuations.close();
	}

}
