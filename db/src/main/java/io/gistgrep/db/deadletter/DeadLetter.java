package io.gistgrep.db.deadletter;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A dead letter as stored.
 *
 * @param queue the work queue the broker dead-lettered it from
 * @param routingKey the key that routes it back to that queue
 * @param reason the broker's reason: {@code rejected}, {@code delivery_limit},
 * {@code expired} or {@code maxlen}
 * @param payload the message body, as it was
 * @param headers the message's headers, summarised as JSON (for a reader, not a machine)
 * @param deathCount how many times the broker dead-lettered it from {@code queue}
 * @param redrivenAt when it was sent back to {@code queue}; null while it waits
 */
public record DeadLetter(long id, String queue, String routingKey, String reason, @Nullable String contentType,
		byte[] payload, String headers, long deathCount, Instant firstDeadAt, Instant lastDeadAt, Instant storedAt,
		@Nullable Instant redrivenAt) {

	/**
	 * A letter just taken from the dead-letter queue, to store.
	 *
	 * @param fingerprint what identifies this letter across the broker's redeliveries
	 */
	public record Arrival(byte[] fingerprint, String queue, String routingKey, String reason,
			@Nullable String contentType, byte[] payload, String headers, long deathCount, Instant firstDeadAt,
			Instant lastDeadAt) {

	}

}
