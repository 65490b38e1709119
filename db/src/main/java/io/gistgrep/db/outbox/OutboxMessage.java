package io.gistgrep.db.outbox;

/** A message waiting to be published. {@code payload} is its JSON body. */
public record OutboxMessage(long id, String exchange, String routingKey, String payload) {

}
