package io.gistgrep.worker.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.gistgrep.common.task.Queues;
import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.gistgrep.messaging.Untraced;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
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
 * {@code gistgrep.dead-letters}, by {@code queue} (every work queue shown, at 0 while
 * none of its messages died), and the health detail {@code deadLetters.pending} (shown by
 * the health group {@code dead-letters}).
 * <ul>
 * <li>Read from the table every {@value #REFRESH_SECONDS} s and after each letter stored,
 * not at every scrape or health check: a slow or absent database must not slow either,
 * and the database's own health indicator already reports it.</li>
 * <li>Letters never make the worker DOWN: they are work to look at, not a fault of this
 * process, and a readiness or liveness probe that failed for them would restart workers
 * for nothing.</li>
 * </ul>
 */
@Untraced
@Component("deadLettersHealthIndicator")
class DeadLetterCount implements HealthIndicator {

	static final long REFRESH_SECONDS = 10;

	/** The work queues, shown at 0 while none of their messages died. */
	private static final List<String> QUEUES = List.of(Queues.START_JOB, Queues.LIST_PAGE, Queues.SCAN_GIST,
			Queues.DELIVER_WEBHOOK);

	private static final Logger log = LoggerFactory.getLogger(DeadLetterCount.class);

	private final DeadLetterRepository letters;

	private final AtomicLong pending = new AtomicLong(-1);

	private final MultiGauge byQueue;

	private final AtomicReference<@Nullable Instant> countedAt = new AtomicReference<>();

	DeadLetterCount(DeadLetterRepository letters, MeterRegistry meters) {
		this.letters = letters;
		this.byQueue = MultiGauge.builder("gistgrep.dead-letters")
			.description("Dead letters stored and not re-driven, by the queue they died in")
			.register(meters);
	}

	@Scheduled(fixedDelay = REFRESH_SECONDS, timeUnit = TimeUnit.SECONDS)
	void refresh() {
		try {
			Map<String, Long> byQueue = new TreeMap<>();
			for (String queue : QUEUES) {
				byQueue.put(queue, 0L);
			}
			byQueue.putAll(this.letters.pendingByQueue());
			this.byQueue.register(byQueue.entrySet()
				.stream()
				.map((entry) -> MultiGauge.Row.of(Tags.of("queue", entry.getKey()), entry.getValue()))
				.toList(), true);
			this.pending.set(byQueue.values().stream().mapToLong(Long::longValue).sum());
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
