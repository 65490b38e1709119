package io.gistgrep.db.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One webhook delivery of a job, and its attempts.
 *
 * @param id the stable {@code webhook-id}
 * @param status {@code pending}, {@code delivered}, {@code failed} (retries exhausted) or
 * {@code gone} (the receiver answered 410)
 * @param body the signed body, fixed at the first attempt
 */
public record WebhookDelivery(UUID id, UUID jobId, String eventType, String status, @Nullable String body, int attempts,
		@Nullable Instant nextAttemptAt, Instant createdAt, @Nullable Instant finishedAt, List<Attempt> attemptLog) {

	public boolean pending() {
		return "pending".equals(this.status);
	}

	/**
	 * @param statusCode the receiver's HTTP status, null when there was no answer
	 * @param error why the attempt failed, null when it succeeded
	 */
	public record Attempt(int attempt, Instant attemptedAt, @Nullable Integer statusCode, long latencyMs,
			@Nullable String error) {

	}

}
