package io.gistgrep.worker.deadletter;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The number of dead letters stored and not re-driven: the gauge
 * {@code gistgrep.dead-letters}, and the health detail {@code deadLetters.pending} (shown
 * by the health group {@code dead-letters}).
 * <ul>
 * <li>Read from the table every {@value #REFRESH_SECONDS} s and after each letter stored,
 * not at every scrape or health check: a slow or absent database must not slow either,
 * and the database's own health indicator already reports it.</li>
 * <li>Letters never make the worker DOWN: they are work to look at, not a fault of this
 * process, and a readiness or liveness probe that failed for them would restart workers
 * for nothing.</li>
 * </ul>
 */
@Component("deadLettersHealthIndicator")
class DeadLetterCount implements HealthIndicator {

	static final long REFRESH_SECONDS = 10;

	private static final Logger log = LoggerFactory.getLogger(DeadLetterCount.class);

	private final DeadLetterRepository letters;

	private final AtomicLong pending = new AtomicLong(-1);

	private final AtomicReference<@Nullable Instant> countedAt = new AtomicReference<>();

	DeadLetterCount(DeadLetterRepository letters, MeterRegistry meters) {
		this.letters = letters;
		Gauge.builder("gistgrep.dead-letters", this.pending, (value) -> (value.get() < 0) ? Double.NaN : value.get())
			.description("Dead letters stored and not re-driven")
			.register(meters);
	}

	@Scheduled(fixedDelay = REFRESH_SECONDS, timeUnit = TimeUnit.SECONDS)
	void refresh() {
		try {
			this.pending.set(this.letters.pending());
			this.countedAt.set(Instant.now());
		}
		catch (RuntimeException ex) {
			// The last count stands; the database's own health says what is wrong.
			log.debug("Could not count the dead letters", ex);
		}
	}

	/** The last count; -1 until the first one. */
	long pending() {
		return this.pending.get();
	}

	@Override
	public Health health() {
		long value = this.pending.get();
		Instant at = this.countedAt.get();
		Health.Builder health = Health.up();
		if (value < 0 || at == null) {
			return health.withDetail("pending", "not counted yet").build();
		}
		return health.withDetail("pending", value).withDetail("counted_at", at.toString()).build();
	}

}
