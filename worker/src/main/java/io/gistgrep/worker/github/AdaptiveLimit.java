package io.gistgrep.worker.github;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The requests one worker may have in flight to one content host, adapted AIMD-style:
 * each good answer while at least half the limit is in use raises it by one, up to the
 * shared budget's cap; a throttle, a 5xx, a timeout or an answer slower than
 * {@link #SLOW_ANSWER} halves it, down to one. Requests that were in flight together when
 * the host pushed back are one episode and halve the limit once, as TCP halves its window
 * once per loss, not once per lost segment.
 * <p>
 * The algorithm is Netflix concurrency-limits' {@link AIMDLimit}. Its limiters are not
 * used: {@code SimpleLimiter} refuses at once instead of waiting, and
 * {@code BlockingLimiter} wakes every waiter on each release and serves them in no order,
 * whereas a gist of many files queues here behind others in a fair {@link Semaphore}
 * whose permits follow the limit. Latency-based limits of the same library (Vegas,
 * Gradient) are not used either: a raw file's answer time grows with its size, which they
 * would read as a queue at the host.
 */
final class AdaptiveLimit {

	/**
	 * An answer slower than this, waits for the shared budget included, counts as the
	 * host pushing back.
	 */
	static final Duration SLOW_ANSWER = Duration.ofSeconds(5);

	private final AIMDLimit limit;

	private final long slowAnswer;

	private final LongSupplier clock;

	private final Permits permits;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	/** When the last push-back was taken into account (on the clock, in ns). */
	private final AtomicLong lastDrop;

	/** The limit the permits stand for; changed only under the limit's lock. */
	private int granted;

	AdaptiveLimit(String host, int initial, int max, MeterRegistry meters) {
		this(host, initial, max, SLOW_ANSWER, System::nanoTime, meters);
	}

	/** With another threshold for slow answers and a clock in ns, for tests. */
	AdaptiveLimit(String host, int initial, int max, Duration slowAnswer, LongSupplier nanoClock,
			MeterRegistry meters) {
		int start = Math.clamp(initial, 1, max);
		this.slowAnswer = slowAnswer.toNanos();
		this.clock = nanoClock;
		this.lastDrop = new AtomicLong(nanoClock.getAsLong());
		this.limit = AIMDLimit.newBuilder()
			.initialLimit(start)
			.minLimit(1)
			.maxLimit(max)
			.backoffRatio(0.5)
			.timeout(this.slowAnswer, TimeUnit.NANOSECONDS)
			.build();
		this.permits = new Permits(start);
		this.granted = start;
		this.limit.notifyOnChange(this::resize);
		Gauge.builder("gistgrep.github.host.limit", this, AdaptiveLimit::limit)
			.tag("host", host)
			.description("Requests this worker may have in flight to a content host now (adaptive)")
			.register(meters);
		Gauge.builder("gistgrep.github.host.in-flight", this, AdaptiveLimit::inFlight)
			.tag("host", host)
			.description("Requests this worker has in flight to a content host")
			.register(meters);
	}

	/** Waits, in line, for a permit. */
	HostLimiter.Permit acquire() {
		try {
			this.permits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted while waiting to call a content host", ex);
		}
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		return new Held(this.clock.getAsLong(), now);
	}

	int limit() {
		return this.limit.getLimit();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	/** The most requests this worker had in flight to the host at once. */
	int maxInFlight() {
		return this.maxInFlight.get();
	}

	/** Called by the limit, under its lock, whenever it changes. */
	private void resize(int newLimit) {
		if (newLimit > this.granted) {
			this.permits.release(newLimit - this.granted);
		}
		else {
			this.permits.reducePermits(this.granted - newLimit);
		}
		this.granted = newLimit;
	}

	private final class Held implements HostLimiter.Permit {

		private final long start;

		private final int inFlightAtStart;

		private boolean settled;

		Held(long start, int inFlightAtStart) {
			this.start = start;
			this.inFlightAtStart = inFlightAtStart;
		}

		@Override
		public void answered() {
			settle(false);
		}

		@Override
		public void dropped() {
			settle(true);
		}

		@Override
		public void close() {
			if (!this.settled) {
				this.settled = true;
				release();
			}
		}

		private void settle(boolean dropped) {
			if (this.settled) {
				return;
			}
			this.settled = true;
			try {
				long now = AdaptiveLimit.this.clock.getAsLong();
				long rtt = now - this.start;
				if (!dropped && rtt <= AdaptiveLimit.this.slowAnswer) {
					AdaptiveLimit.this.limit.onSample(this.start, rtt, this.inFlightAtStart, false);
				}
				else if (firstOfItsEpisode(now)) {
					AdaptiveLimit.this.limit.onSample(this.start, rtt, this.inFlightAtStart, true);
				}
			}
			finally {
				release();
			}
		}

		/**
		 * Whether this push-back is the first of a request sent after the last one was
		 * taken into account (and records it if so).
		 */
		private boolean firstOfItsEpisode(long now) {
			long last = AdaptiveLimit.this.lastDrop.get();
			return this.start - last >= 0 && AdaptiveLimit.this.lastDrop.compareAndSet(last, now);
		}

		private void release() {
			AdaptiveLimit.this.inFlight.decrementAndGet();
			AdaptiveLimit.this.permits.release();
		}

	}

	/** A fair semaphore whose permits can be taken away while they are held. */
	private static final class Permits extends Semaphore {

		Permits(int permits) {
			super(permits, true);
		}

		@Override
		protected void reducePermits(int reduction) {
			super.reducePermits(reduction);
		}

	}

}
