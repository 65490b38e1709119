package io.gistgrep.db.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.common.job.Progress;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.common.secret.SecretBox;
import io.gistgrep.common.secret.SecretDecryptionException;
import io.gistgrep.db.gist.GistOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Jobs in PostgreSQL. Status changes are conditional UPDATEs whose {@code WHERE} repeats
 * {@link JobStatus#predecessors()}, so concurrent workers cannot both move a job. Each
 * change reports what it did and nothing more: what follows a job's end (its webhook) is
 * the caller's step, {@code io.gistgrep.messaging.JobTransitions}, in the same
 * transaction.
 */
@Repository
public class JobRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String COLUMNS = """
			id, tenant, status, username, pattern, gists_total, gists_scanned, gists_matched, gists_skipped,
			gists_failed, created_at, started_at, finished_at, error::text AS error, webhook_url, webhook_secret,
			CASE WHEN status IN ('queued', 'running') AND waiting_for_github_until > now()
				THEN waiting_for_github_until END AS waiting_for_github_until""";

	private static final Logger log = LoggerFactory.getLogger(JobRepository.class);

	private final JdbcClient jdbc;

	/** Webhook secrets are stored encrypted, and are plain text in a {@link Job}. */
	private final SecretBox secrets;

	public JobRepository(JdbcClient jdbc, SecretBox secrets) {
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	public void insert(Job job) {
		this.jdbc.sql("""
				INSERT INTO jobs (id, tenant, status, username, pattern, created_at, webhook_url, webhook_secret)
				VALUES (:id, :tenant, :status, :username, :pattern, :createdAt, :webhookUrl, :webhookSecret)""")
			.param("id", job.id())
			.param("tenant", job.tenant())
			.param("status", job.status().value())
			.param("username", job.username())
			.param("pattern", job.pattern())
			.param("createdAt", Timestamp.from(job.createdAt()))
			.param("webhookUrl", (job.webhook() != null) ? job.webhook().url() : null)
			.param("webhookSecret", (job.webhook() != null) ? this.secrets.encrypt(job.webhook().secret()) : null)
			.update();
	}

	/**
	 * The job, whatever its tenant: for the worker, which acts on jobs by id. What
	 * answers a client uses {@link #find(JobKey)}.
	 */
	@WorkerOnly
	public Optional<Job> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/**
	 * The job, if it belongs to the tenant; another tenant's job is as good as missing.
	 */
	public Optional<Job> find(JobKey job) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id AND tenant = :tenant")
			.param("id", job.id())
			.param("tenant", job.tenant())
			.query(this::map)
			.optional();
	}

	/**
	 * The tenant's job as a client's answer shows it: as {@link #find(JobKey)}, but its
	 * webhook secret (which only the answer that created the job shows) is left null, so
	 * that a poll is one indexed read and nothing else (no decryption).
	 */
	public Optional<Job> document(JobKey job) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id AND tenant = :tenant")
			.param("id", job.id())
			.param("tenant", job.tenant())
			.query((rs, row) -> map(rs, false))
			.optional();
	}

	/**
	 * The job, whatever its tenant, with its webhook secret left null: for the worker's
	 * hot paths, which need its pattern and status, not the secret (no decryption).
	 */
	@WorkerOnly
	public Optional<Job> findWithoutSecret(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> map(rs, false))
			.optional();
	}

	/** The job's status alone: the cheap check a task makes before doing any work. */
	@WorkerOnly
	public Optional<JobStatus> status(UUID id) {
		return this.jdbc.sql("SELECT status FROM jobs WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> JobStatus.fromValue(rs.getString(1)))
			.optional();
	}

	/**
	 * Which of these jobs have ended (every ended job has a {@code finished_at}): one
	 * query, however many jobs and tenants, for callers that wait on many jobs at once. A
	 * key whose job is another tenant's is never among them.
	 */
	public Set<JobKey> finishedAmong(Collection<JobKey> keys) {
		if (keys.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.jdbc.sql("""
				SELECT j.tenant, j.id FROM jobs j
				JOIN unnest(cast(:tenants AS text[]), cast(:ids AS uuid[])) AS k(tenant, id)
					ON j.id = k.id AND j.tenant = k.tenant
				WHERE j.finished_at IS NOT NULL""")
			.param("tenants", keys.stream().map(JobKey::tenant).toArray(String[]::new))
			.param("ids", keys.stream().map(JobKey::id).toArray(UUID[]::new))
			.query((rs, row) -> new JobKey(rs.getString(1), rs.getObject(2, UUID.class)))
			.list());
	}

	/**
	 * A page of a tenant's jobs, newest first, after the job {@code (afterCreatedAt,
	 * afterId)} (keyset), optionally only those in {@code status}; without their webhook
	 * secrets, as {@link #document(JobKey)}.
	 */
	public List<Job> page(String tenant, @Nullable JobStatus status, @Nullable Instant afterCreatedAt,
			@Nullable UUID afterId, int limit) {
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE tenant = :tenant");
		if (status != null) {
			sql.append(" AND status = :status");
		}
		if (afterCreatedAt != null && afterId != null) {
			sql.append(" AND (created_at, id) < (:afterCreatedAt, :afterId)");
		}
		sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
		JdbcClient.StatementSpec statement = this.jdbc.sql(sql.toString())
			.param("tenant", tenant)
			.param("limit", limit);
		if (status != null) {
			statement = statement.param("status", status.value());
		}
		if (afterCreatedAt != null && afterId != null) {
			statement = statement.param("afterCreatedAt", Timestamp.from(afterCreatedAt)).param("afterId", afterId);
		}
		return statement.query((rs, row) -> map(rs, false)).list();
	}

	/**
	 * Moves a queued job to running; false when it was not queued (already started, or
	 * ended).
	 */
	public boolean start(UUID id) {
		return move(id, JobStatus.RUNNING, "started_at = now()", null);
	}

	/** Ends a queued or running job as failed; false when it had already ended. */
	@Transactional
	@WorkerOnly
	public boolean fail(UUID id, JobError error) {
		return move(id, JobStatus.FAILED, "finished_at = now()", error);
	}

	/**
	 * Ends the tenant's queued or running job as cancelled; false when it had already
	 * ended, or is not the tenant's.
	 */
	@Transactional
	public boolean cancel(JobKey job) {
		return move(job.id(), job.tenant(), JobStatus.CANCELLED, "finished_at = now()", null);
	}

	private boolean move(UUID id, JobStatus to, String stamp, @Nullable JobError error) {
		return move(id, null, to, stamp, error);
	}

	/** A conditional status change; only of the tenant's job when a tenant is given. */
	private boolean move(UUID id, @Nullable String tenant, JobStatus to, String stamp, @Nullable JobError error) {
		String from = to.predecessors()
			.stream()
			.map((s) -> "'" + s.value() + "'")
			.reduce((a, b) -> a + ", " + b)
			.orElseThrow();
		JdbcClient.StatementSpec update = this.jdbc
			.sql("UPDATE jobs SET status = :to, " + stamp
					+ ", error = COALESCE(cast(:error AS jsonb), error) WHERE id = :id AND status IN (" + from + ")"
					+ ((tenant != null) ? " AND tenant = :tenant" : ""))
			.param("id", id)
			.param("to", to.value())
			.param("error", (error != null) ? JSON.writeValueAsString(error) : null);
		return ((tenant != null) ? update.param("tenant", tenant) : update).update() == 1;
	}

	/**
	 * Records that the listing is complete: the total is the number of distinct gists
	 * listed. Succeeds the job when every gist was already counted (or there were none).
	 * @return the job's status before and after, empty if the total was already recorded
	 */
	@Transactional
	@WorkerOnly
	public Optional<JobTransition> completeListing(UUID id) {
		String done = "old.status = 'running' AND c.n = j.gists_scanned + j.gists_skipped + j.gists_failed";
		return this.jdbc.sql("WITH old AS (SELECT id, status FROM jobs WHERE id = :id FOR UPDATE)"
				+ " UPDATE jobs j SET gists_total = c.n," + " status = CASE WHEN " + done
				+ " THEN 'succeeded' ELSE j.status END," + " finished_at = CASE WHEN " + done
				+ " THEN now() ELSE j.finished_at END"
				+ " FROM old, (SELECT count(*)::int AS n FROM job_gists WHERE job_id = :id) c"
				+ " WHERE j.id = old.id AND j.gists_total IS NULL RETURNING old.status AS before, j.status AS after")
			.param("id", id)
			.query((rs, row) -> transition(rs))
			.optional();
	}

	/**
	 * Counts one gist's outcome, and succeeds the job when it was the last one. Call once
	 * per gist, in the transaction that moved the gist out of pending.
	 * @return the job's status before and after
	 */
	@Transactional
	@WorkerOnly
	public JobTransition countGist(UUID id, GistOutcome outcome, boolean matched) {
		return countGists(id, (outcome == GistOutcome.SCANNED) ? 1 : 0, (outcome == GistOutcome.SKIPPED) ? 1 : 0,
				(outcome == GistOutcome.FAILED) ? 1 : 0, matched ? 1 : 0);
	}

	/**
	 * Counts the outcomes of some of a job's gists at once (a batch of scans: one update
	 * of the job's row instead of one per gist), and succeeds the job when they were the
	 * last ones. Call once per job, in the transaction that moved those gists out of
	 * pending.
	 * @return the job's status before and after
	 */
	@Transactional
	@WorkerOnly
	public JobTransition countGists(UUID id, int scanned, int skipped, int failed, int matched) {
		// In an UPDATE every column on the right-hand side is the row's old value.
		String last = "old.status = 'running' AND j.gists_total IS NOT NULL "
				+ "AND j.gists_total = j.gists_scanned + j.gists_skipped + j.gists_failed + :n";
		return this.jdbc
			.sql("WITH old AS (SELECT id, status FROM jobs WHERE id = :id FOR UPDATE)"
					+ " UPDATE jobs j SET gists_scanned = j.gists_scanned + :s, gists_skipped = j.gists_skipped + :k,"
					+ " gists_failed = j.gists_failed + :f, gists_matched = j.gists_matched + :m,"
					+ " progress_at = now(), repairs = 0," + " status = CASE WHEN " + last
					+ " THEN 'succeeded' ELSE j.status END," + " finished_at = CASE WHEN " + last
					+ " THEN now() ELSE j.finished_at END"
					+ " FROM old WHERE j.id = old.id RETURNING old.status AS before, j.status AS after")
			.param("id", id)
			.param("s", scanned)
			.param("k", skipped)
			.param("f", failed)
			.param("m", matched)
			.param("n", scanned + skipped + failed)
			.query((rs, row) -> transition(rs))
			.single();
	}

	/**
	 * Takes gists' counts back from a job whose listing found their files changed: they
	 * are pending again, to be scanned and counted at their new revision. Call in the
	 * transaction that moved them back to pending, after {@link #lockOpenListing}.
	 */
	@WorkerOnly
	public void uncount(UUID id, int scanned, int skipped, int failed, int matched) {
		this.jdbc.sql("""
				UPDATE jobs SET gists_scanned = gists_scanned - :s, gists_skipped = gists_skipped - :k,
					gists_failed = gists_failed - :f, gists_matched = gists_matched - :m
				WHERE id = :id""")
			.param("id", id)
			.param("s", scanned)
			.param("k", skipped)
			.param("f", failed)
			.param("m", matched)
			.update();
	}

	/**
	 * Locks a job's row for a listing page of pass {@code pass}, and says whether the
	 * page may be stored: the job is queued or running, its total is not recorded yet,
	 * and no later pass has begun.
	 */
	@WorkerOnly
	public boolean lockOpenListing(UUID id, int pass) {
		return this.jdbc.sql("""
				SELECT status IN ('queued', 'running') AND gists_total IS NULL
					AND COALESCE((SELECT max(pass) FROM listing_pages WHERE job_id = :id), 0) <= :pass
				FROM jobs WHERE id = :id FOR UPDATE""")
			.param("id", id)
			.param("pass", pass)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/**
	 * Records that a queued or running job moved (a listing page was stored), for the
	 * stuck-job reaper: a job that moves is not stalled, and its count of repairs starts
	 * again.
	 */
	@WorkerOnly
	public void progressed(UUID id) {
		this.jdbc.sql("""
				UPDATE jobs SET progress_at = now(), repairs = 0
				WHERE id = :id AND status IN ('queued', 'running')""").param("id", id).update();
	}

	/**
	 * Succeeds a running job whose gists are all counted (its total recorded, and as many
	 * scanned, skipped and failed): a job that should have ended with its last count, and
	 * did not. The same condition as {@link #countGist}'s, so it cannot end a job early.
	 * @return whether this ended the job
	 */
	@WorkerOnly
	public boolean succeedCounted(UUID id) {
		return this.jdbc.sql("""
				UPDATE jobs SET status = 'succeeded', finished_at = now()
				WHERE id = :id AND status = 'running' AND gists_total IS NOT NULL
					AND gists_total = gists_scanned + gists_skipped + gists_failed""").param("id", id).update() == 1;
	}

	private static JobTransition transition(ResultSet rs) throws SQLException {
		return new JobTransition(JobStatus.fromValue(rs.getString("before")),
				JobStatus.fromValue(rs.getString("after")));
	}

	/**
	 * Records that some of a running (or queued) job's work is parked on GitHub until
	 * {@code until}; only ever moves the mark later, so the latest wait shows.
	 */
	@WorkerOnly
	public void waitingForGitHub(UUID id, Instant until) {
		this.jdbc.sql("""
				UPDATE jobs SET waiting_for_github_until = :until
				WHERE id = :id AND status IN ('queued', 'running')
					AND (waiting_for_github_until IS NULL OR waiting_for_github_until < :until)""")
			.param("id", id)
			.param("until", Timestamp.from(until))
			.update();
	}

	private Job map(ResultSet rs, int row) throws SQLException {
		return map(rs, true);
	}

	/** A job from its row; its webhook secret null unless {@code withSecret}. */
	private Job map(ResultSet rs, boolean withSecret) throws SQLException {
		String error = rs.getString("error");
		String webhookUrl = rs.getString("webhook_url");
		return new Job(rs.getObject("id", UUID.class), rs.getString("tenant"),
				JobStatus.fromValue(rs.getString("status")), rs.getString("username"), rs.getString("pattern"),
				new Progress(rs.getObject("gists_total", Integer.class), rs.getInt("gists_scanned"),
						rs.getInt("gists_matched"), rs.getInt("gists_skipped"), rs.getInt("gists_failed"),
						instantOrNull(rs, "waiting_for_github_until")),
				instant(rs, "created_at"), instantOrNull(rs, "started_at"), instantOrNull(rs, "finished_at"),
				(error != null) ? JSON.readValue(error, JobError.class) : null,
				(webhookUrl != null)
						? new Job.Webhook(webhookUrl, withSecret
								? secret(rs.getObject("id", UUID.class), rs.getString("webhook_secret")) : null)
						: null);
	}

	/**
	 * A stored webhook secret in plain text; one written before secrets were encrypted
	 * (until {@code SecretsAtRest} encrypts it at start-up) is plain text already. Null
	 * when no configured key decrypts it (a key lost, or an old replica during a
	 * rotation): reading a job must not fail for a secret that only a delivery needs.
	 */
	private @Nullable String secret(UUID jobId, String stored) {
		if (!SecretBox.isEncrypted(stored)) {
			return stored;
		}
		try {
			return this.secrets.decrypt(stored);
		}
		catch (SecretDecryptionException ex) {
			log.warn("The webhook secret of job {} cannot be decrypted: {}", jobId, ex.getMessage());
			return null;
		}
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getTimestamp(column).toInstant();
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
		Timestamp ts = rs.getTimestamp(column);
		return (ts != null) ? ts.toInstant() : null;
	}

}
