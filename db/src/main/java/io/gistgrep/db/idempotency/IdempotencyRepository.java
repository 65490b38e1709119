package io.gistgrep.db.idempotency;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.secret.SecretBox;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code Idempotency-Key}s of job submissions. A key is first claimed on its own (and
 * committed), then completed with the job it made; a claim that is older than
 * {@code staleAfter} without a job is taken to belong to a request that died, and may be
 * claimed again.
 */
@Repository
public class IdempotencyRepository {

	/** What a key holds. */
	public record Entry(String requestHash, @Nullable UUID jobId, @Nullable String responseBody, Instant createdAt) {

		public boolean completed() {
			return this.jobId != null;
		}

		/** The answer may hold a webhook secret. */
		@Override
		public String toString() {
			return "Entry[jobId=" + this.jobId + ", createdAt=" + this.createdAt + "]";
		}

	}

	private final JdbcClient jdbc;

	/** An answer may hold a webhook secret: stored encrypted. */
	private final SecretBox secrets;

	public IdempotencyRepository(JdbcClient jdbc, SecretBox secrets) {
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	/**
	 * Claims a key for a request; keys older than {@code ttl} count as free, as do claims
	 * that never completed within {@code staleAfter}.
	 * @return true when this request holds the key now
	 */
	public boolean claim(String tenant, String key, String requestHash, Duration ttl, Duration staleAfter) {
		return this.jdbc.sql("""
				INSERT INTO idempotency_keys AS k (tenant, key, request_hash) VALUES (:tenant, :key, :hash)
				ON CONFLICT (tenant, key) DO UPDATE SET request_hash = :hash, job_id = NULL, response_body = NULL,
					created_at = now()
				WHERE k.created_at < :expired OR (k.job_id IS NULL AND k.created_at < :stale)""")
			.param("tenant", tenant)
			.param("key", key)
			.param("hash", requestHash)
			.param("expired", Timestamp.from(Instant.now().minus(ttl)))
			.param("stale", Timestamp.from(Instant.now().minus(staleAfter)))
			.update() == 1;
	}

	public Optional<Entry> find(String tenant, String key) {
		return this.jdbc.sql("""
				SELECT request_hash, job_id, response_body, created_at FROM idempotency_keys
				WHERE tenant = :tenant AND key = :key""")
			.param("tenant", tenant)
			.param("key", key)
			.query((rs, row) -> new Entry(rs.getString("request_hash"), rs.getObject("job_id", UUID.class),
					body(rs.getString("response_body")), rs.getTimestamp("created_at").toInstant()))
			.optional();
	}

	/** Records the job a claimed key made, and the answer to replay. */
	public void complete(String tenant, String key, UUID jobId, String responseBody) {
		this.jdbc.sql("""
				UPDATE idempotency_keys SET job_id = :jobId, response_body = :body
				WHERE tenant = :tenant AND key = :key""")
			.param("tenant", tenant)
			.param("key", key)
			.param("jobId", jobId)
			.param("body", this.secrets.encrypt(responseBody))
			.update();
	}

	/** Gives a claimed key up, when its request failed before making a job. */
	public void release(String tenant, String key) {
		this.jdbc.sql("DELETE FROM idempotency_keys WHERE tenant = :tenant AND key = :key AND job_id IS NULL")
			.param("tenant", tenant)
			.param("key", key)
			.update();
	}

	/** Deletes keys older than {@code cutoff}, at most {@code batch} of them. */
	public int purgeBefore(Instant cutoff, int batch) {
		return this.jdbc.sql("""
				DELETE FROM idempotency_keys WHERE (tenant, key) IN (
					SELECT tenant, key FROM idempotency_keys WHERE created_at < :cutoff LIMIT :batch)""")
			.param("cutoff", Timestamp.from(cutoff))
			.param("batch", batch)
			.update();
	}

	/** A stored answer in plain text; one stored before answers were encrypted is. */
	private @Nullable String body(@Nullable String stored) {
		return (stored != null && SecretBox.isEncrypted(stored)) ? this.secrets.decrypt(stored) : stored;
	}

}
