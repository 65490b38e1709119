package io.gistgrep.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * Draws the injected latency and failures of each listener from generators seeded by the
 * current {@link SimFaults}.
 */
final class FaultInjector {

	enum Listener {

		API, RAW

	}

	private record State(SimFaults faults, Random api, Random raw) {
	}

	private volatile State state;

	/**
	 * A secondary rate limit in force: every API request is refused until {@code until}
	 * (for ever when null), naming {@code retryAfter} seconds when not null.
	 */
	record SecondaryLimit(@Nullable Instant until, @Nullable Long retryAfter) {
	}

	private volatile @Nullable SecondaryLimit secondary;

	FaultInjector(SimFaults faults) {
		this.state = stateOf(faults);
	}

	void replace(SimFaults faults) {
		this.state = stateOf(faults);
	}

	SimFaults faults() {
		return this.state.faults();
	}

	/**
	 * Waits for the listener's latency. Handlers run on virtual threads, so a sleep costs
	 * no platform thread.
	 */
	void delay(Listener listener) throws InterruptedException {
		SimFaults faults = this.state.faults();
		Duration latency = (listener == Listener.API) ? faults.apiLatency() : faults.rawLatency();
		if (latency.isPositive()) {
			Thread.sleep(latency);
		}
	}

	boolean shouldFail(Listener listener) {
		State state = this.state;
		double rate = (listener == Listener.API) ? state.faults().apiErrorRate() : state.faults().rawErrorRate();
		if (rate <= 0) {
			return false;
		}
		Random random = (listener == Listener.API) ? state.api() : state.raw();
		return random.nextDouble() < rate;
	}

	/**
	 * Starts a secondary rate limit.
	 * @param duration how long it lasts; null for ever, zero or less to lift it
	 * @param retryAfter the {@code retry-after} seconds to send; null for none
	 */
	void secondaryLimit(@Nullable Duration duration, @Nullable Long retryAfter) {
		if (duration != null && !duration.isPositive()) {
			this.secondary = null;
			return;
		}
		this.secondary = new SecondaryLimit((duration != null) ? Instant.now().plus(duration) : null, retryAfter);
	}

	/** The secondary rate limit in force now, if any. */
	@Nullable SecondaryLimit secondaryLimit() {
		SecondaryLimit limit = this.secondary;
		if (limit != null && limit.until() != null && !Instant.now().isBefore(limit.until())) {
			return null;
		}
		return limit;
	}

	private static State stateOf(SimFaults faults) {
		return new State(faults, new Random(faults.seed()), new Random(~faults.seed()));
	}

}
