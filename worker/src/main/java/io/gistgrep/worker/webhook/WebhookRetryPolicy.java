package io.gistgrep.worker.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.worker.messaging.RetrySchedule;

/**
 * What a delivery becomes after an attempt: delivered on a 2xx; gone on a 410 (the
 * receiver asks never to be called again); failed once the schedule is exhausted;
 * otherwise still pending, with the next attempt after the schedule's delay, or later if
 * the receiver asked for more with {@code Retry-After}.
 */
record WebhookRetryPolicy(RetrySchedule schedule) {

	private static final int GONE = 410;

	/**
	 * @param status the delivery's status after the attempt
	 * @param nextAttemptAt when the next attempt is due, present while pending
	 */
	record Next(WebhookStatus status, Optional<Instant> nextAttemptAt) {

	}

	Next after(int attempt, WebhookSender.Outcome outcome, Instant now) {
		if (outcome.delivered()) {
			return new Next(WebhookStatus.DELIVERED, Optional.empty());
		}
		if (outcome.status().orElse(0) == GONE) {
			return new Next(WebhookStatus.GONE, Optional.empty());
		}
		if (this.schedule.exhausted(attempt)) {
			return new Next(WebhookStatus.FAILED, Optional.empty());
		}
		Duration wait = this.schedule.delay(attempt);
		if (outcome.retryAfter().isPresent() && outcome.retryAfter().get().compareTo(wait) > 0) {
			// Honoured up to the schedule's longest delay: a receiver cannot park a
			// delivery
			// for a year, nor overflow the clock with a huge value.
			Duration longest = this.schedule.delays().stream().max(Duration::compareTo).orElse(wait);
			Duration asked = outcome.retryAfter().get();
			wait = (asked.compareTo(longest) > 0) ? longest : asked;
		}
		return new Next(WebhookStatus.PENDING, Optional.of(now.plus(wait)));
	}

}
