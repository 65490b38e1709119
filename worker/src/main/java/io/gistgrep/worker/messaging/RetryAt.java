package io.gistgrep.worker.messaging;

import java.time.Instant;

/**
 * A failure that says when the work may run again: {@link Tasks} parks the task until
 * then, without counting an attempt (a rate limit that resets at a known time is not the
 * task's fault).
 */
public interface RetryAt {

	/** When the work may run again. */
	Instant retryAt();

	/**
	 * How many times in a row this failure may park a task before {@link Tasks} gives it
	 * up (a limit that persists); 0 for no bound.
	 */
	default int maxParks() {
		return 0;
	}

	/**
	 * When the work may run again after the {@code parks}-th park in a row of a bounded
	 * failure (from 1), so that the wait can grow while the failure persists.
	 */
	default Instant retryAt(int parks) {
		return retryAt();
	}

}
