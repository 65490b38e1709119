package io.gistgrep.db.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.job.JobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A job's tenant, times and size, as its metrics and log lines need them
 * ({@code io.gistgrep.messaging.JobMetrics}): one indexed read of its row, without the
 * pattern, the webhook or the error.
 */
@Repository
public class JobTimings {

	private final JdbcClient jdbc;

	public JobTimings(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A job's status and times; {@code startedAt} and {@code finishedAt} are null until
	 * it starts and ends, {@code gistsTotal} until its listing is complete.
	 */
	public record Timing(String tenant, JobStatus status, Instant createdAt, @Nullable Instant startedAt,
			@Nullable Instant finishedAt, @Nullable Integer gistsTotal) {

		/** From submission to start; empty when it never started. */
		public Optional<Duration> queued() {
			return (this.startedAt != null) ? Optional.of(positive(this.createdAt, this.startedAt)) : Optional.empty();
		}

		/** From submission to end; empty while it has not ended. */
		public Optional<Duration> total() {
			return (this.finishedAt != null) ? Optional.of(positive(this.createdAt, this.finishedAt))
					: Optional.empty();
		}

		/** From start to end; empty when it did not both start and end. */
		public Optional<Duration> running() {
			return (this.startedAt != null && this.finishedAt != null)
					? Optional.of(positive(this.startedAt, this.finishedAt)) : Optional.empty();
		}

		/**
		 * {@code created_at} is the api's clock, the others PostgreSQL's: a skew must not
		 * make a negative duration.
		 */
		private static Duration positive(Instant from, Instant to) {
			Duration duration = Duration.between(from, to);
			return duration.isNegative() ? Duration.ZERO : duration;
		}

	}

	public Optional<Timing> of(UUID id) {
		return this.jdbc
			.sql("SELECT tenant, status, created_at, started_at, finished_at, gists_total FROM jobs WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> new Timing(rs.getString("tenant"), JobStatus.fromValue(rs.getString("status")),
					instant(rs, "created_at"), instantOrNull(rs, "started_at"), instantOrNull(rs, "finished_at"),
					rs.getObject("gists_total", Integer.class)))
			.optional();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getTimestamp(column).toInstant();
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
