package io.gistgrep.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Starts secondary rate limits as GitHub does, from what clients do rather than by
 * control: an API request that makes more than {@code maxConcurrent} requests in flight,
 * or more than {@code maxPerMinute} in a sliding minute, starts a limit of
 * {@code penalty} through the {@link FaultInjector}, so it is answered like one set by
 * control. While a limit is in force requests neither count towards the minute nor start
 * another: the penalty does not grow under a client that keeps asking.
 */
final class SecondaryTriggers {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private record Settings(int maxConcurrent, int maxPerMinute, Duration penalty, @Nullable Long retryAfter) {
	}

	private final FaultInjector faults;

	private final PoliteCounters counters;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Deque<Instant> lastMinute = new ArrayDeque<>();

	private volatile @Nullable Settings settings;

	SecondaryTriggers(FaultInjector faults, PoliteCounters counters) {
		this.faults = faults;
		this.counters = counters;
	}

	/** Zero turns a trigger off; a non-positive penalty turns both off. */
	synchronized void set(int maxConcurrent, int maxPerMinute, Duration penalty, @Nullable Duration retryAfter) {
		this.lastMinute.clear();
		this.settings = ((maxConcurrent > 0 || maxPerMinute > 0) && penalty.isPositive()) ? new Settings(maxConcurrent,
				maxPerMinute, penalty, (retryAfter != null) ? retryAfter.toSeconds() : null) : null;
	}

	/** An API request arrives; pair with {@link #leave()}. */
	void arrive() {
		int concurrent = this.inFlight.incrementAndGet();
		Settings settings = this.settings;
		if (settings == null || this.faults.secondaryLimit() != null) {
			return;
		}
		boolean burst;
		synchronized (this) {
			Instant now = Instant.now();
			Instant start = now.minus(MINUTE);
			while (!this.lastMinute.isEmpty() && !this.lastMinute.peekFirst().isAfter(start)) {
				this.lastMinute.removeFirst();
			}
			this.lastMinute.addLast(now);
			burst = settings.maxPerMinute() > 0 && this.lastMinute.size() > settings.maxPerMinute();
			if (burst || (settings.maxConcurrent() > 0 && concurrent > settings.maxConcurrent())) {
				this.lastMinute.clear();
				this.faults.secondaryLimit(settings.penalty(), settings.retryAfter());
				this.counters.secondaryLimitsTriggered.increment();
			}
		}
	}

	void leave() {
		this.inFlight.decrementAndGet();
	}

}
