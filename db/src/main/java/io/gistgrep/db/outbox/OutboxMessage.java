package io.gistgrep.db.outbox;

/**
 * A message waiting to be published. {@code payload} is its JSON body; when
 * {@code batch}, a JSON array whose every element is one message to the same place.
 */
public record OutboxMessage(long id, String exchange, String routingKey, String payload, boolean batch) {

}
