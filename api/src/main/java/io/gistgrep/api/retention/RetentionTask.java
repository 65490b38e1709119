package io.gistgrep.api.retention;

import java.time.Clock;
import java.time.Instant;

import io.gistgrep.db.analytics.AnalyticsRepository;
import io.gistgrep.db.idempotency.IdempotencyRepository;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.db.retention.RetentionRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what has outlived its retention, in batches. Every api replica schedules it; a
 * PostgreSQL advisory lock, held for the run's transaction, lets only one of them run at
 * a time, and the others skip that round. Each batch of finished jobs is rolled up into
 * the analytics (docs/analytics.md) by the statement that deletes it.
 */
@Component
class RetentionTask {

	private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);

	private final AnalyticsRepository jobs;

	private final IdempotencyRepository idempotency;

	private final OutboxRepository outbox;

	private final RetentionRepository lock;

	private final TransactionTemplate transaction;

	private final RetentionProperties properties;

	private final Clock clock = Clock.systemUTC();

	RetentionTask(AnalyticsRepository jobs, IdempotencyRepository idempotency, OutboxRepository outbox,
			RetentionRepository lock, TransactionTemplate transaction, RetentionProperties properties) {
		this.jobs = jobs;
		this.idempotency = idempotency;
		this.outbox = outbox;
		this.lock = lock;
		this.transaction = transaction;
		this.properties = properties;
	}

	/** What one run deleted; {@code ran} is false when another replica held the lock. */
	record Result(boolean ran, int jobs, int keys, int outbox) {

	}

	@Scheduled(initialDelayString = "${gistgrep.retention.initial-delay:5m}",
			fixedDelayString = "${gistgrep.retention.interval:1h}")
	void scheduled() {
		Result result = purge();
		if (result.ran() && (result.jobs() + result.keys() + result.outbox()) > 0) {
			log.info("Retention deleted {} jobs, {} idempotency keys, {} sent outbox rows", result.jobs(),
					result.keys(), result.outbox());
		}
	}

	Result purge() {
		Result result = this.transaction.execute((status) -> {
			if (!this.lock.tryLock()) {
				return new Result(false, 0, 0, 0);
			}
			Instant now = this.clock.instant();
			int jobs = 0;
			for (int i = 0; i < this.properties.maxBatchesPerRun(); i++) {
				int deleted = this.jobs.rollUpAndPurgeFinishedBefore(now.minus(this.properties.jobs()),
						this.properties.batch());
				jobs += deleted;
				if (deleted < this.properties.batch()) {
					break;
				}
			}
			int keys = this.idempotency.purgeBefore(now.minus(this.properties.idempotencyKeys()),
					this.properties.batch() * this.properties.maxBatchesPerRun());
			int sent = this.outbox.purgeSent(24);
			return new Result(true, jobs, keys, sent);
		});
		return (result != null) ? result : new Result(false, 0, 0, 0);
	}

}
