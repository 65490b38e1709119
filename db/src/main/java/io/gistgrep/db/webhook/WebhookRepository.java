package io.gistgrep.db.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.job.JobStatus;
import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.WorkerOnly;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook deliveries and their attempts. What answers a client takes a {@link JobKey};
 * the rest, by id alone, is the worker's ({@link WorkerOnly}).
 */
@Repository
public class WebhookRepository {

	private final JdbcClient jdbc;

	public WebhookRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Adds the pending delivery of a job's end, if the job has a webhook and the end has
	 * none yet. Call in the transaction that ended the job (the message that sends it
	 * belongs in the same one), so the event is neither lost nor sent for an end that
	 * rolled back.
	 * @return the new delivery's id, empty when nothing was added
	 */
	@WorkerOnly
	public Optional<UUID> addDelivery(UUID jobId, JobStatus ended) {
		UUID id = UUID.randomUUID();
		int inserted = this.jdbc.sql("""
				INSERT INTO webhook_deliveries (id, job_id, event_type)
				SELECT :id, j.id, :type FROM jobs j WHERE j.id = :jobId AND j.webhook_url IS NOT NULL
				ON CONFLICT (job_id, event_type) DO NOTHING""")
			.param("id", id)
			.param("jobId", jobId)
			.param("type", "job." + ended.value())
			.update();
		return (inserted == 1) ? Optional.of(id) : Optional.empty();
	}

	@WorkerOnly
	public Optional<WebhookDelivery> find(UUID id) {
		return this.jdbc.sql("SELECT * FROM webhook_deliveries WHERE id = :id")
			.param("id", id)
			.query(WebhookRepository::map)
			.optional()
			.map((d) -> withAttempts(d, attempts(List.of(d.id())).getOrDefault(d.id(), List.of())));
	}

	/** Fixes the body the first time; later calls keep the first body. */
	@WorkerOnly
	public String fixBody(UUID id, String body) {
		return this.jdbc.sql("""
				UPDATE webhook_deliveries SET body = COALESCE(body, :body) WHERE id = :id RETURNING body""")
			.param("id", id)
			.param("body", body)
			.query(String.class)
			.single();
	}

	/**
	 * Records attempt number {@code attempt} and the delivery's new state, once: a
	 * redelivered message that repeats an attempt already recorded changes nothing. Only
	 * a pending delivery takes an attempt ({@link WebhookStatus#moveTo}, repeated in
	 * SQL).
	 * @return false when the attempt was recorded already
	 */
	@WorkerOnly
	public boolean recordAttempt(UUID id, WebhookDelivery.Attempt attempt, WebhookStatus status,
			@Nullable Instant nextAttemptAt) {
		WebhookStatus.PENDING.moveTo(status);
		int updated = this.jdbc.sql("""
				UPDATE webhook_deliveries SET attempts = :attempt, status = :status, next_attempt_at = :next,
					finished_at = CASE WHEN :status = 'pending' THEN NULL ELSE now() END
				WHERE id = :id AND status = 'pending' AND attempts = :attempt - 1""")
			.param("id", id)
			.param("attempt", attempt.attempt())
			.param("status", status.value())
			.param("next", (nextAttemptAt != null) ? Timestamp.from(nextAttemptAt) : null)
			.update();
		if (updated == 0) {
			return false;
		}
		this.jdbc.sql("""
				INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
				VALUES (:id, :attempt, :at, :statusCode, :latency, :error)""")
			.param("id", id)
			.param("attempt", attempt.attempt())
			.param("at", Timestamp.from(attempt.attemptedAt()))
			.param("statusCode", attempt.statusCode())
			.param("latency", (int) Math.min(Integer.MAX_VALUE, attempt.latencyMs()))
			.param("error", attempt.error())
			.update();
		return true;
	}

	/**
	 * A job's deliveries with every attempt, oldest first; none when the job is not the
	 * key's tenant's.
	 */
	public List<WebhookDelivery> forJob(JobKey job) {
		List<WebhookDelivery> deliveries = this.jdbc.sql("""
				SELECT d.* FROM webhook_deliveries d JOIN jobs j ON j.id = d.job_id
				WHERE d.job_id = :jobId AND j.tenant = :tenant ORDER BY d.created_at, d.id""")
			.param("jobId", job.id())
			.param("tenant", job.tenant())
			.query(WebhookRepository::map)
			.list();
		if (deliveries.isEmpty()) {
			return deliveries;
		}
		Map<UUID, List<WebhookDelivery.Attempt>> attempts = attempts(
				deliveries.stream().map(WebhookDelivery::id).toList());
		return deliveries.stream().map((d) -> withAttempts(d, attempts.getOrDefault(d.id(), List.of()))).toList();
	}

	private Map<UUID, List<WebhookDelivery.Attempt>> attempts(List<UUID> ids) {
		Map<UUID, List<WebhookDelivery.Attempt>> byDelivery = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT * FROM webhook_attempts WHERE delivery_id IN (:ids) ORDER BY delivery_id, attempt""")
			.param("ids", ids)
			.query((ResultSet rs) -> {
				Integer status = rs.getObject("status_code", Integer.class);
				byDelivery.computeIfAbsent(rs.getObject("delivery_id", UUID.class), (k) -> new ArrayList<>())
					.add(new WebhookDelivery.Attempt(rs.getInt("attempt"), rs.getTimestamp("attempted_at").toInstant(),
							status, rs.getInt("latency_ms"), rs.getString("error")));
			});
		return byDelivery;
	}

	private static WebhookDelivery withAttempts(WebhookDelivery d, List<WebhookDelivery.Attempt> attempts) {
		return new WebhookDelivery(d.id(), d.jobId(), d.eventType(), d.status(), d.body(), d.attempts(),
				d.nextAttemptAt(), d.createdAt(), d.finishedAt(), List.copyOf(attempts));
	}

	private static WebhookDelivery map(ResultSet rs, int row) throws SQLException {
		Timestamp next = rs.getTimestamp("next_attempt_at");
		Timestamp finished = rs.getTimestamp("finished_at");
		return new WebhookDelivery(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
				rs.getString("event_type"), WebhookStatus.fromValue(rs.getString("status")), rs.getString("body"),
				rs.getInt("attempts"), (next != null) ? next.toInstant() : null,
				rs.getTimestamp("created_at").toInstant(), (finished != null) ? finished.toInstant() : null, List.of());
	}

}
