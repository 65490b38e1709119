package io.gistgrep.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * When to try again after a failed attempt: one delay per retry, each stretched by a
 * random jitter so that work that failed together does not come back together. Scans and
 * listings use seconds to minutes ({@link WorkerProperties}); webhooks seconds to hours.
 *
 * @param delays the wait after failed attempt 1, 2, …; after {@code delays.size() + 1}
 * failed attempts the work is given up
 * @param jitter the largest share of a delay added at random (0.5: up to 50% more)
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

	/** Up to 50% more than the nominal delay. */
	public static final double DEFAULT_JITTER = 0.5;

	public RetrySchedule {
		delays = List.copyOf(delays);
		if (delays.stream().anyMatch((delay) -> delay.isNegative() || delay.isZero())) {
			throw new IllegalArgumentException("Retry delays must be positive, not " + delays);
		}
		if (jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException("Retry jitter must be between 0 and 1, not " + jitter);
		}
	}

	public static RetrySchedule of(List<Duration> delays) {
		return new RetrySchedule(delays, DEFAULT_JITTER);
	}

	/** Attempts in all, the first included. */
	public int maxAttempts() {
		return this.delays.size() + 1;
	}

	/** Whether no retry is left after failed attempt {@code attempt} (1-based). */
	public boolean exhausted(int attempt) {
		return attempt > this.delays.size();
	}

	/** The wait after failed attempt {@code attempt} (1-based), jittered. */
	public Duration delay(int attempt) {
		return delay(attempt, ThreadLocalRandom.current());
	}

	Duration delay(int attempt, RandomGenerator random) {
		if (attempt < 1 || exhausted(attempt)) {
			throw new IllegalArgumentException(
					"No retry follows attempt " + attempt + " of " + maxAttempts() + " attempts");
		}
		long millis = this.delays.get(attempt - 1).toMillis();
		long spread = (long) (millis * this.jitter);
		return Duration.ofMillis(millis + random.nextLong(spread + 1));
	}

}
