package io.gistgrep.messaging;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.gistgrep.db.outbox.OutboxRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How far the outbox relays are behind: the gauges {@code gistgrep.outbox.backlog} (rows
 * not published) and {@code gistgrep.outbox.oldest.age} (seconds since the oldest of them
 * was written). The outbox is shared, so every replica of either app shows the same
 * figures: read them with {@code max}, not {@code sum}.
 * <p>
 * Counted every {@value #REFRESH_SECONDS} s, not at every scrape: a slow or absent
 * database must not slow a scrape. Until the first count, and while the database does not
 * answer, the gauges show the last count (NaN before any).
 */
@Untraced
@Component
class OutboxBacklog {

	static final long REFRESH_SECONDS = 10;

	private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);

	private final OutboxRepository outbox;

	private final AtomicReference<OutboxRepository.@Nullable Backlog> last = new AtomicReference<>();

	OutboxBacklog(OutboxRepository outbox, MeterRegistry meters) {
		this.outbox = outbox;
		Gauge.builder("gistgrep.outbox.backlog", this.last, (backlog) -> value(backlog.get(), false))
			.description("Outbox rows written and not yet published to RabbitMQ (the same on every replica)")
			.register(meters);
		Gauge.builder("gistgrep.outbox.oldest.age", this.last, (backlog) -> value(backlog.get(), true))
			.description("Age of the oldest outbox row not yet published; 0 when every row is (the same on every "
					+ "replica)")
			.baseUnit("seconds")
			.register(meters);
	}

	@Scheduled(initialDelay = 0, fixedDelay = REFRESH_SECONDS, timeUnit = TimeUnit.SECONDS)
	void refresh() {
		try {
			this.last.set(this.outbox.backlog());
		}
		catch (RuntimeException ex) {
			// The last count stands; the database's own health says what is wrong.
			log.debug("Could not count the outbox backlog", ex);
		}
	}

	private static double value(OutboxRepository.@Nullable Backlog backlog, boolean age) {
		if (backlog == null) {
			return Double.NaN;
		}
		return age ? backlog.oldestSeconds() : backlog.rows();
	}

}
