package io.gistgrep.worker.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Every call the worker makes to Redis, so that a Redis outage costs no task: what Redis
 * keeps for the worker is either a cache (a miss is answered instead) or a shared GitHub
 * budget (a conservative local one is used instead), and a call that fails is answered by
 * its fallback. After a failure Redis is left alone for {@link #PAUSE}, so that an outage
 * does not add a failed connection attempt to every call; the first call after the pause
 * tries Redis again, so the worker recovers by itself.
 * <p>
 * Counted by {@code gistgrep.redis.fallbacks} (per use, every call answered by its
 * fallback), shown by the gauge {@code gistgrep.redis.available}; the outage and the
 * recovery are logged once each.
 */
@Component
public class RedisGuard {

	/** How long Redis is left alone after a call failed. */
	static final Duration PAUSE = Duration.ofSeconds(1);

	private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);

	private final MeterRegistry meters;

	/** The {@link System#nanoTime} until which Redis is not asked. */
	private final AtomicLong pausedUntil = new AtomicLong(System.nanoTime());

	/**
	 * The {@link System#currentTimeMillis} of the failure that began an outage; 0: none.
	 */
	private final AtomicLong downSince = new AtomicLong();

	private final AtomicBoolean down = new AtomicBoolean();

	public RedisGuard(MeterRegistry meters) {
		this.meters = meters;
		Gauge.builder("gistgrep.redis.available", this.down, (d) -> d.get() ? 0 : 1)
			.description("1 while Redis answers the worker, 0 while caches miss and GitHub budgets are local")
			.register(meters);
	}

	/**
	 * The answer of {@code call}, or of {@code fallback} when Redis fails or is paused.
	 * Exceptions other than Redis's (such as a rate limit a budget script reports) pass.
	 * @param use what the call is for, as the metric's tag ({@code cache-scan},
	 * {@code budget-github}...)
	 */
	public <T extends @Nullable Object> T call(String use, Supplier<T> call, Supplier<T> fallback) {
		if (System.nanoTime() - this.pausedUntil.get() < 0) {
			return fallback(use, fallback);
		}
		T answer;
		try {
			answer = call.get();
		}
		catch (DataAccessException ex) {
			failed(use, ex);
			return fallback(use, fallback);
		}
		recovered();
		return answer;
	}

	/** Runs {@code call}; when Redis fails or is paused, does nothing more. */
	public void run(String use, Runnable call) {
		call(use, () -> {
			call.run();
			return Boolean.TRUE;
		}, () -> Boolean.FALSE);
	}

	/** Whether Redis answered the last call (or no call failed yet). */
	public boolean available() {
		return !this.down.get();
	}

	private <T extends @Nullable Object> T fallback(String use, Supplier<T> fallback) {
		Counter.builder("gistgrep.redis.fallbacks")
			.description("Calls to Redis answered without it (a cache miss, a local budget) because it failed")
			.tag("use", use)
			.register(this.meters)
			.increment();
		return fallback.get();
	}

	private void failed(String use, DataAccessException ex) {
		this.pausedUntil.set(System.nanoTime() + PAUSE.toNanos());
		if (this.down.compareAndSet(false, true)) {
			this.downSince.set(System.currentTimeMillis());
			log.warn("Redis did not answer ({}: {}); caches miss and GitHub budgets are kept locally until it"
					+ " answers again (tried every {} ms)", use, ex.getMessage(), PAUSE.toMillis());
		}
	}

	private void recovered() {
		if (this.down.compareAndSet(true, false)) {
			log.info("Redis answers again after {} ms; caches and shared GitHub budgets are back",
					System.currentTimeMillis() - this.downSince.get());
		}
	}

}
