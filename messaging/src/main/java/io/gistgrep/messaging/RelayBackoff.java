package io.gistgrep.messaging;

import java.time.Duration;
import java.time.Instant;

/**
 * When the outbox relay may try again after a pass that met a refusal (a full queue) or a
 * failure (the broker away): without it, every commit's wake-up would publish into a full
 * queue again at once, and the relay would spin.
 * <ul>
 * <li>After a clean pass: no wait.</li>
 * <li>After a troubled pass that still got something through (consumers are making room):
 * one step, the poll interval.</li>
 * <li>After each further pass that got nothing through: twice the previous wait, up to
 * the maximum.</li>
 * </ul>
 * Confined to the relay's single thread.
 */
final class RelayBackoff {

	private final Duration step;

	private final Duration max;

	private Duration wait = Duration.ZERO;

	private Instant notBefore = Instant.MIN;

	RelayBackoff(Duration step, Duration max) {
		this.step = step;
		this.max = max;
	}

	/** Whether a pass may run at {@code now}. */
	boolean ready(Instant now) {
		return !now.isBefore(this.notBefore);
	}

	/**
	 * Records how a pass went, at {@code now}.
	 * @param troubled whether the broker refused or failed something
	 * @param progressed whether any row was sent (or part of one taken)
	 * @return the wait before the next pass
	 */
	Duration passed(Instant now, boolean troubled, boolean progressed) {
		if (!troubled) {
			this.wait = Duration.ZERO;
		}
		else if (progressed || this.wait.isZero()) {
			this.wait = this.step;
		}
		else {
			Duration doubled = this.wait.multipliedBy(2);
			this.wait = (doubled.compareTo(this.max) > 0) ? this.max : doubled;
		}
		this.notBefore = now.plus(this.wait);
		return this.wait;
	}

}
