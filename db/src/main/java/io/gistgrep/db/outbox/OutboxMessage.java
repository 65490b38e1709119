package io.gistgrep.db.outbox;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A message waiting to be published. {@code payload} is its JSON body; when
 * {@code batch}, a JSON array whose every element is one message to the same place.
 * {@code traceparent} is the W3C trace context of the span that wrote it, if any.
 */
public record OutboxMessage(long id, String exchange, String routingKey, String payload, boolean batch,
		@Nullable String traceparent) {

	public OutboxMessage(long id, String exchange, String routingKey, String payload, boolean batch) {
		this(id, exchange, routingKey, payload, batch, null);
	}

	/** The trace context to publish in, if the row was written in one. */
	public Optional<String> trace() {
		return Optional.ofNullable(this.traceparent);
	}

}
