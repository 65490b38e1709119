package io.gistgrep.db.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code dead_letters} table: written by the worker that drains the dead-letter
 * queue, read and re-driven by the api's admin endpoints.
 */
@Repository
public class DeadLetterRepository {

	private static final String COLUMNS = """
			id, queue, routing_key, reason, content_type, payload, headers, death_count, first_dead_at,
			last_dead_at, stored_at, redriven_at""";

	private final JdbcClient jdbc;

	public DeadLetterRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a letter, unless one with its fingerprint is stored already (the broker
	 * delivered it again because the acknowledgement of the first delivery was lost).
	 * @return true when it was new
	 */
	public boolean store(DeadLetter.Arrival letter) {
		return this.jdbc.sql("""
				INSERT INTO dead_letters (fingerprint, queue, routing_key, reason, content_type, payload, headers,
					death_count, first_dead_at, last_dead_at)
				VALUES (:fingerprint, :queue, :routingKey, :reason, :contentType, :payload, :headers, :deathCount,
					:firstDeadAt, :lastDeadAt)
				ON CONFLICT (fingerprint) DO NOTHING""")
			.param("fingerprint", letter.fingerprint())
			.param("queue", letter.queue())
			.param("routingKey", letter.routingKey())
			.param("reason", letter.reason())
			.param("contentType", letter.contentType())
			.param("payload", letter.payload())
			.param("headers", letter.headers())
			.param("deathCount", letter.deathCount())
			.param("firstDeadAt", Timestamp.from(letter.firstDeadAt()))
			.param("lastDeadAt", Timestamp.from(letter.lastDeadAt()))
			.update() == 1;
	}

	/**
	 * Up to {@code limit} letters, re-driven or not, oldest first, after the letter
	 * {@code afterId} (keyset pagination), of {@code queue} when given.
	 */
	public List<DeadLetter> page(@Nullable String queue, @Nullable Long afterId, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM dead_letters
				WHERE (CAST(:queue AS text) IS NULL OR queue = :queue) AND id > :afterId
				ORDER BY id LIMIT :limit""")
			.param("queue", queue)
			.param("afterId", (afterId != null) ? afterId : 0L)
			.param("limit", limit)
			.query(DeadLetterRepository::letter)
			.list();
	}

	/** How many letters wait to be re-driven. */
	public long pending() {
		return this.jdbc.sql("SELECT count(*) FROM dead_letters WHERE redriven_at IS NULL").query(Long.class).single();
	}

	/** How many letters wait to be re-driven, by the queue they died in. */
	public Map<String, Long> pendingByQueue() {
		Map<String, Long> pending = new TreeMap<>();
		this.jdbc.sql("SELECT queue, count(*) AS letters FROM dead_letters WHERE redriven_at IS NULL GROUP BY queue")
			.query((rs) -> {
				pending.put(rs.getString("queue"), rs.getLong("letters"));
			});
		return pending;
	}

	/**
	 * Claims up to {@code limit} letters waiting to be re-driven whose routing key is one
	 * of {@code routingKeys}, oldest first, locking them until the caller's transaction
	 * ends (two redrives at once never send a letter twice). Only inside a transaction
	 * that also marks them {@link #markRedriven redriven}.
	 */
	public List<DeadLetter> claimPending(Collection<String> routingKeys, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM dead_letters
				WHERE redriven_at IS NULL AND routing_key IN (:routingKeys)
				ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""")
			.param("routingKeys", List.copyOf(routingKeys))
			.param("limit", limit)
			.query(DeadLetterRepository::letter)
			.list();
	}

	/**
	 * How many letters wait to be re-driven whose routing key is one of
	 * {@code routingKeys}.
	 */
	public long pending(Collection<String> routingKeys) {
		return this.jdbc
			.sql("SELECT count(*) FROM dead_letters WHERE redriven_at IS NULL AND routing_key IN (:routingKeys)")
			.param("routingKeys", List.copyOf(routingKeys))
			.query(Long.class)
			.single();
	}

	/** Marks the letters re-driven, now. */
	public void markRedriven(List<Long> ids) {
		if (ids.isEmpty()) {
			return;
		}
		this.jdbc.sql("UPDATE dead_letters SET redriven_at = now() WHERE id IN (:ids) AND redriven_at IS NULL")
			.param("ids", ids)
			.update();
	}

	private static DeadLetter letter(ResultSet rs, int row) throws SQLException {
		return new DeadLetter(rs.getLong("id"), rs.getString("queue"), rs.getString("routing_key"),
				rs.getString("reason"), rs.getString("content_type"), rs.getBytes("payload"), rs.getString("headers"),
				rs.getLong("death_count"), instant(rs, "first_dead_at"), instant(rs, "last_dead_at"),
				instant(rs, "stored_at"), nullableInstant(rs, "redriven_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getTimestamp(column).toInstant();
	}

	private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
