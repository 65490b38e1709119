package io.gistgrep.api.job;

import java.time.Instant;
import java.util.List;

import io.gistgrep.db.webhook.WebhookDelivery;
import org.jspecify.annotations.Nullable;

/**
 * A webhook delivery and its attempts, as {@code GET /jobs/{id}/webhook-deliveries} shows
 * them.
 */
record DeliveryView(String webhookId, String eventType, String status, Instant createdAt,
		@Nullable Instant nextAttemptAt, @Nullable Instant finishedAt, List<AttemptView> attempts) {

	static DeliveryView of(WebhookDelivery delivery) {
		return new DeliveryView(delivery.id().toString(), delivery.eventType(), delivery.status().value(),
				delivery.createdAt(), delivery.pending() ? delivery.nextAttemptAt() : null, delivery.finishedAt(),
				delivery.attemptLog()
					.stream()
					.map((a) -> new AttemptView(a.attempt(), a.attemptedAt(), a.statusCode(), a.latencyMs(), a.error()))
					.toList());
	}

	/**
	 * @param statusCode the receiver's answer, null when none came
	 * @param error why it failed, null when it succeeded
	 */
	record AttemptView(int attempt, Instant attemptedAt, @Nullable Integer statusCode, long latencyMs,
			@Nullable String error) {

	}

}
