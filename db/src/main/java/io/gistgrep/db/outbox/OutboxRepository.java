package io.gistgrep.db.outbox;

import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox. Rows are written in the transaction that makes them true and
 * published later by a relay; several relays (one per api replica) share the work through
 * {@code FOR UPDATE SKIP LOCKED}.
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
		String payload = JSON.writeValueAsString(message);
		this.jdbc.sql("INSERT INTO outbox (exchange, routing_key, payload) VALUES (:exchange, :routingKey, :payload)")
			.param("exchange", exchange)
			.param("routingKey", routingKey)
			.param("payload", payload)
			.update();
	}

	/**
	 * Claims up to {@code limit} unsent messages, hands each to {@code publisher}, and
	 * marks sent those it confirmed (returned true for). The rows stay locked while they
	 * are published, so no other relay sends them twice; a message that was not confirmed
	 * is tried again on a later pass.
	 * @return the number of messages marked sent
	 */
	@Transactional
	public int relay(int limit, Predicate<OutboxMessage> publisher) {
		List<OutboxMessage> batch = this.jdbc.sql("""
				SELECT id, exchange, routing_key, payload FROM outbox WHERE sent_at IS NULL
				ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""")
			.param("limit", limit)
			.query((rs, row) -> new OutboxMessage(rs.getLong("id"), rs.getString("exchange"),
					rs.getString("routing_key"), rs.getString("payload")))
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
