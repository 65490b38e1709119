package io.gistgrep.db.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
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
		add(exchange, routingKey, message, null);
	}

	/**
	 * Adds a message, as JSON, to be published in the trace of {@code traceparent} (a W3C
	 * trace context; null: none); call inside the transaction whose commit should publish
	 * it.
	 */
	public void add(String exchange, String routingKey, Object message, @Nullable String traceparent) {
		insert(exchange, routingKey, JSON.writeValueAsString(message), false, traceparent);
	}

	/**
	 * Adds a message whose JSON is already written (a dead letter sent back as it was);
	 * call inside the transaction whose commit should publish it.
	 */
	public void addJson(String exchange, String routingKey, String json) {
		addJson(exchange, routingKey, json, null);
	}

	/**
	 * Like {@link #addJson(String, String, String)}, in the trace of {@code traceparent}.
	 */
	public void addJson(String exchange, String routingKey, String json, @Nullable String traceparent) {
		insert(exchange, routingKey, json, false, traceparent);
	}

	/**
	 * Adds several messages to the same place as one row (a JSON array), which the relay
	 * publishes as one message each.
	 */
	public void addBatch(String exchange, String routingKey, List<?> messages) {
		addBatch(exchange, routingKey, messages, null);
	}

	/**
	 * Like {@link #addBatch(String, String, List)}, in the trace of {@code traceparent}.
	 */
	public void addBatch(String exchange, String routingKey, List<?> messages, @Nullable String traceparent) {
		insert(exchange, routingKey, JSON.writeValueAsString(messages), true, traceparent);
	}

	private void insert(String exchange, String routingKey, String payload, boolean batch,
			@Nullable String traceparent) {
		this.jdbc.sql("""
				INSERT INTO outbox (exchange, routing_key, payload, batch, traceparent)
				VALUES (:exchange, :routingKey, :payload, :batch, :traceparent)""")
			.param("exchange", exchange)
			.param("routingKey", routingKey)
			.param("payload", payload)
			.param("batch", batch)
			.param("traceparent", traceparent, Types.VARCHAR)
			.update();
	}

	/**
	 * Claims up to {@code limit} unsent messages, except those to {@code skipped} routing
	 * keys, hands each to {@code publisher}, and marks sent those it confirmed. The rows
	 * stay locked while they are published, so no other relay sends them twice. Single
	 * messages go first, then fan-outs ({@link #addBatch}), each oldest first: a job's
	 * start, its listing's next page and a webhook do not wait behind the scans of
	 * earlier pages and the refills of running jobs (which need no order among
	 * themselves).
	 * <ul>
	 * <li>{@link Publication#failed() Failed}: the row stays unsent and the pass stops
	 * (the broker is likely gone for every row).</li>
	 * <li>{@link Publication#refused Refused} (a full queue): the row stays unsent, or,
	 * when the broker took part of a batch row, that row is marked sent and its refused
	 * elements become a new row, so that what was taken is not published again. The pass
	 * skips the later rows to the same routing key (their queue is full) and goes on with
	 * the others.</li>
	 * </ul>
	 * @return the number of rows marked sent
	 */
	@Transactional
	public int relay(int limit, Collection<String> skipped, Function<OutboxMessage, Publication> publisher) {
		String skip = skipped.isEmpty() ? "" : " AND routing_key NOT IN (:skipped)";
		JdbcClient.StatementSpec select = this.jdbc
			.sql("SELECT id, exchange, routing_key, payload, batch, traceparent FROM outbox WHERE sent_at IS NULL"
					+ skip + " ORDER BY batch, id LIMIT :limit FOR UPDATE SKIP LOCKED")
			.param("limit", limit);
		if (!skipped.isEmpty()) {
			select = select.param("skipped", List.copyOf(skipped));
		}
		List<OutboxMessage> batch = select.query(OutboxRepository::message).list();
		int sent = 0;
		Set<String> full = new HashSet<>();
		for (OutboxMessage message : batch) {
			if (full.contains(message.routingKey())) {
				continue;
			}
			Publication publication = publisher.apply(message);
			if (publication.outcome() == Publication.Outcome.FAILED) {
				break;
			}
			if (publication.outcome() == Publication.Outcome.REFUSED) {
				full.add(message.routingKey());
				if (!message.batch() || publication.refused().isEmpty() || !split(message, publication.refused())) {
					continue;
				}
			}
			this.jdbc.sql("UPDATE outbox SET sent_at = now() WHERE id = :id").param("id", message.id()).update();
			sent++;
		}
		return sent;
	}

	/**
	 * Writes the refused elements of a batch row as a new row; false (nothing written) if
	 * every element was refused, so that the row itself stays unsent.
	 */
	private boolean split(OutboxMessage message, List<Integer> refused) {
		JsonNode elements = JSON.readTree(message.payload());
		if (refused.size() >= elements.size()) {
			return false;
		}
		List<JsonNode> rest = new ArrayList<>();
		for (int index : refused) {
			rest.add(elements.get(index));
		}
		insert(message.exchange(), message.routingKey(), JSON.writeValueAsString(rest), true, message.traceparent());
		return true;
	}

	private static OutboxMessage message(ResultSet rs, int row) throws SQLException {
		return new OutboxMessage(rs.getLong("id"), rs.getString("exchange"), rs.getString("routing_key"),
				rs.getString("payload"), rs.getBoolean("batch"), rs.getString("traceparent"));
	}

	/** The unsent messages to a routing key, oldest first: what is still owed. */
	public List<OutboxMessage> unsent(String routingKey) {
		return this.jdbc.sql("""
				SELECT id, exchange, routing_key, payload, batch, traceparent FROM outbox
				WHERE sent_at IS NULL AND routing_key = :routingKey ORDER BY id""")
			.param("routingKey", routingKey)
			.query(OutboxRepository::message)
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

	/**
	 * What waits to be published: the rows not sent, and the age of the oldest in seconds
	 * (0 when none), by PostgreSQL's clock.
	 */
	public Backlog backlog() {
		return this.jdbc.sql("""
				SELECT count(*) AS rows,
					COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
				FROM outbox WHERE sent_at IS NULL""")
			.query((rs, row) -> new Backlog(rs.getLong("rows"), Math.max(0, rs.getDouble("oldest"))))
			.single();
	}

	/** Rows not sent yet, and the age of the oldest. */
	public record Backlog(long rows, double oldestSeconds) {

	}

}
