package io.gistgrep.db.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.webhook.WebhookStatus;
import org.jspecify.annotations.Nullable;

/**
 * One webhook delivery of a job, and its attempts.
 *
 * @param id the stable {@code webhook-id}
 * @param status where the delivery stands
 * @param body the signed body, fixed at the first attempt
 */
public record WebhookDelivery(UUID id, UUID jobId, String eventType, WebhookStatus status, @Nullable String body,
		int attempts, @Nullable Instant nextAttemptAt, Instant createdAt, @Nullable Instant finishedAt,
		List<Attempt> attemptLog) {

	public boolean pending() {
		return this.status == WebhookStatus.PENDING;
	}

	/**
	 * @param statusCode the receiver's HTTP status, null when there was no answer
	 * @param error why the attempt failed, null when it succeeded
	 */
	public record Attempt(int attempt, Instant attemptedAt, @Nullable Integer statusCode, long latencyMs,
			@Nullable String error) {

	}

}
