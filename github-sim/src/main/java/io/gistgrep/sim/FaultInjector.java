package io.gistgrep.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * Draws the injected latency and failures of each target from generators seeded by the
 * current {@link SimFaults}, and hands out the faults queued for the next requests of a
 * target ({@link #failNext}), which tests use when a random draw would not do.
 */
final class FaultInjector {

	private record State(SimFaults faults, Random api, Random raw, Random git) {
	}

	private volatile State state;

	private final Map<Target, Queue<Fault>> queued = new EnumMap<>(Target.class);

	/**
	 * A secondary rate limit in force: every API request is refused until {@code until}
	 * (for ever when null), naming {@code retryAfter} seconds when not null.
	 */
	record SecondaryLimit(@Nullable Instant until, @Nullable Long retryAfter) {
	}

	private volatile @Nullable SecondaryLimit secondary;

	FaultInjector(SimFaults faults) {
		this.state = stateOf(faults);
		for (Target target : Target.values()) {
			this.queued.put(target, new ConcurrentLinkedQueue<>());
		}
	}

	/**
	 * Queues a fault for the next {@code times} requests of a target, after those queued
	 * before.
	 */
	void failNext(Target target, Fault fault, int times) {
		for (int i = 0; i < times; i++) {
			this.queued.get(target).add(fault);
		}
	}

	/** Takes the fault queued for this request of a target, if any. */
	@Nullable Fault nextQueued(Target target) {
		return this.queued.get(target).poll();
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
	void delay(Target target) throws InterruptedException {
		SimFaults faults = this.state.faults();
		Duration latency = switch (target) {
			case API -> faults.apiLatency();
			case RAW -> faults.rawLatency();
			case GIT -> Duration.ZERO;
		};
		if (latency.isPositive()) {
			Thread.sleep(latency);
		}
	}

	boolean shouldFail(Target target) {
		State state = this.state;
		double rate = switch (target) {
			case API -> state.faults().apiErrorRate();
			case RAW -> state.faults().rawErrorRate();
			case GIT -> state.faults().gitErrorRate();
		};
		if (rate <= 0) {
			return false;
		}
		Random random = switch (target) {
			case API -> state.api();
			case RAW -> state.raw();
			case GIT -> state.git();
		};
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
		return new State(faults, new Random(faults.seed()), new Random(~faults.seed()),
				new Random(faults.seed() ^ 0x5DEECE66DL));
	}

}
