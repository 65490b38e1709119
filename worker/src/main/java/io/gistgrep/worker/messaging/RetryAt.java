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

}
