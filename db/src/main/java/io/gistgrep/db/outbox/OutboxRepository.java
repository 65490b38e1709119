package io.gistgrep.db.outbox;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox table. Rows are written in the transaction that makes them
 * true and published later by a relay; several relays (one per replica) share the work
 * through {@code FOR UPDATE SKIP LOCKED}. Persistence only: the relay that publishes is
 * {@code io.gistgrep.messaging.OutboxRelay}.
 */
@Repository
public class OutboxRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	public OutboxRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Adds a message, as JSON (the shape Spring AMQP's Jackson converter reads); call
	 * inside the transaction whose commit should publish it.
	 */
	public void add(String exchange, String routingKey, Object message) {
		insert(exchange, routingKey, JSON.writeValueAsString(message), false);
	}

	/**
	 * Adds a message whose JSON is already written (a dead letter sent back as it was);
	 * call inside the transaction whose commit should publish it.
	 */
	public void addJson(String exchange, String routingKey, String json) {
		insert(exchange, routingKey, json, false);
	}

	/**
	 * Adds several messages to the same place as one row (a JSON array), which the relay
	 * publishes as one message each.
	 */
	public void addBatch(String exchange, String routingKey, List<?> messages) {
		insert(exchange, routingKey, JSON.writeValueAsString(messages), true);
	}

	private void insert(String exchange, String routingKey, String payload, boolean batch) {
		this.jdbc.sql("""
				INSERT INTO outbox (exchange, routing_key, payload, batch)
				VALUES (:exchange, :routingKey, :payload, :batch)""")
			.param("exchange", exchange)
			.param("routingKey", routingKey)
			.param("payload", payload)
			.param("batch", batch)
			.update();
	}

	/**
	 * Claims up to {@code limit} unsent messages, except those to {@code skipped} routing
	 * keys, hands each to {@code publisher}, and marks sent those it confirmed (returned
	 * true for). The rows stay locked while they are published, so no other relay sends
	 * them twice; a message that was not confirmed is tried again on a later pass.
	 * @return the number of messages marked sent
	 */
	@Transactional
	public int relay(int limit, Collection<String> skipped, Predicate<OutboxMessage> publisher) {
		String skip = skipped.isEmpty() ? "" : " AND routing_key NOT IN (:skipped)";
		JdbcClient.StatementSpec select = this.jdbc
			.sql("SELECT id, exchange, routing_key, payload, batch FROM outbox WHERE sent_at IS NULL" + skip
					+ " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
			.param("limit", limit);
		if (!skipped.isEmpty()) {
			select = select.param("skipped", List.copyOf(skipped));
		}
		List<OutboxMessage> batch = select
			.query((rs, row) -> new OutboxMessage(rs.getLong("id"), rs.getString("exchange"),
					rs.getString("routing_key"), rs.getString("payload"), rs.getBoolean("batch")))
			.list();
		int sent = 0;
		for (OutboxMessage message : batch) {
			if (!publisher.test(message)) {
				break;
			}
			this.jdbc.sql("UPDATE outbox SET sent_at = now() WHERE id = :id").param("id", message.id()).update();
			sent++;
		}
		return sent;
	}

	/** The unsent messages to a routing key, oldest first: what is still owed. */
	public List<OutboxMessage> unsent(String routingKey) {
		return this.jdbc.sql("""
				SELECT id, exchange, routing_key, payload, batch FROM outbox
				WHERE sent_at IS NULL AND routing_key = :routingKey ORDER BY id""")
			.param("routingKey", routingKey)
			.query((rs, row) -> new OutboxMessage(rs.getLong("id"), rs.getString("exchange"),
					rs.getString("routing_key"), rs.getString("payload"), rs.getBoolean("batch")))
			.list();
	}

	/**
	 * Deletes sent messages older than the given number of hours, so the table stays
	 * small.
	 */
	public int purgeSent(int olderThanHours) {
		return this.jdbc.sql("DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => :hours)")
			.param("hours", olderThanHours)
			.update();
	}

}
