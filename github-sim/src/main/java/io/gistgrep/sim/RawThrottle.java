package io.gistgrep.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * The raw host's throttle, as {@code gist.githubusercontent.com} throttles heavy
 * automated downloads (observed): requests are counted over a sliding second, and the
 * request that would exceed the rate starts a cool-down during which every request is
 * answered {@code 429: Too Many Requests}, without {@code retry-after} unless asked for.
 * Raw files and git count together: in the simulator they share one host name, and a
 * client that keeps its budget per host sees one host.
 * <p>
 * It also records the most requests seen in any second, throttled or not.
 */
final class RawThrottle {

	private static final Duration SECOND = Duration.ofSeconds(1);

	private record Settings(int perSecond, Duration coolDown, boolean retryAfter) {
	}

	private final PoliteCounters counters;

	private @Nullable Settings settings;

	/** Requests served in the last second. */
	private final Deque<Instant> served = new ArrayDeque<>();

	/** Requests arrived in the last second, served or not. */
	private final Deque<Instant> arrived = new ArrayDeque<>();

	private PoliteCounters.@Nullable Tally coolDown;

	RawThrottle(PoliteCounters counters) {
		this.counters = counters;
	}

	/**
	 * Throttles from now on; a rate of zero or less lifts the throttle and ends any
	 * cool-down.
	 */
	synchronized void set(int perSecond, Duration coolDown, boolean retryAfter) {
		this.served.clear();
		this.coolDown = null;
		this.settings = (perSecond > 0) ? new Settings(perSecond, coolDown, retryAfter) : null;
	}

	/**
	 * Counts a request arriving now.
	 * @return the 429 to answer, or null to serve the request
	 */
	@Nullable Reply admit() {
		Instant now = Instant.now();
		Settings settings;
		PoliteCounters.Tally during;
		synchronized (this) {
			prune(this.arrived, now);
			this.arrived.addLast(now);
			this.counters.rawPerSecond(this.arrived.size());
			settings = this.settings;
			if (settings == null) {
				return null;
			}
			during = this.coolDown;
			if (during != null && now.isBefore(during.end())) {
				during.requestsDuring().incrementAndGet();
			}
			else {
				if (during != null) {
					this.coolDown = null;
					this.served.clear();
				}
				prune(this.served, now);
				if (this.served.size() < settings.perSecond()) {
					this.served.addLast(now);
					return null;
				}
				during = this.counters.coolDownStarted(now, now.plus(settings.coolDown()));
				this.coolDown = during;
			}
		}
		this.counters.rawThrottled.increment();
		Reply reply = Reply.text(429, "429: Too Many Requests");
		if (settings.retryAfter()) {
			long seconds = Math.max(1, Duration.between(now, during.end()).toMillis() / 1000 + 1);
			reply.header("retry-after", Long.toString(seconds));
		}
		return reply;
	}

	private static void prune(Deque<Instant> window, Instant now) {
		Instant start = now.minus(SECOND);
		while (!window.isEmpty() && !window.peekFirst().isAfter(start)) {
			window.removeFirst();
		}
	}

}
