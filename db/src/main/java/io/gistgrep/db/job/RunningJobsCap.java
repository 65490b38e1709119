package io.gistgrep.db.job;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.job.JobStatus;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The running-jobs cap per tenant, in the jobs table. A tenant's slots are taken by its
 * {@code running} jobs and by its <em>released</em> ones (queued, with a start task on
 * its way: {@code released_at} set). A job over the cap stays {@code queued} with
 * {@code held_since} set; held jobs are released oldest first (by {@code created_at}).
 * <p>
 * Every decision takes a transaction-scoped advisory lock on the tenant, so that two
 * workers starting two jobs of one tenant, or a start and an end, cannot both see the
 * same free slot. Lock order: a transaction locks at most its own job's row before the
 * tenant lock, and after it takes only held rows, with {@code SKIP LOCKED}; so no two
 * decisions can wait on each other.
 */
@Repository
public class RunningJobsCap {

	/**
	 * The first key of the two-key advisory lock ("cap"), the second is the tenant's
	 * hash.
	 */
	private static final int LOCK_SPACE = 0x636170;

	private final JdbcClient jdbc;

	public RunningJobsCap(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Starts the job if its tenant has a free slot and no held job is ahead of it;
	 * otherwise marks it held (keeping the time it was first held). Then releases as many
	 * held jobs of the tenant as there are free slots left (after a cap was raised, say).
	 * Idempotent: a running or ended job is left as it is. {@code started_at} is the time
	 * the tenant's lock was held ({@code clock_timestamp()}), so that it follows the end
	 * that freed the slot.
	 * @param cap the most running jobs per tenant; 0 for no cap
	 */
	@Transactional
	public Admission admit(UUID jobId, int cap) {
		if (cap < 0) {
			throw new IllegalArgumentException("cap must be 0 (none) or more, was " + cap);
		}
		Optional<Row> found = this.jdbc.sql("""
				SELECT tenant, status, held_since IS NOT NULL AS held, released_at IS NOT NULL AS released, created_at
				FROM jobs WHERE id = :id FOR UPDATE""")
			.param("id", jobId)
			.query((rs, n) -> new Row(rs.getString("tenant"), JobStatus.fromValue(rs.getString("status")),
					rs.getBoolean("held"), rs.getBoolean("released"), rs.getTimestamp("created_at").toInstant()))
			.optional();
		if (found.isEmpty()) {
			return new Admission(Outcome.MISSING, List.of());
		}
		Row job = found.get();
		if (job.status() != JobStatus.QUEUED) {
			return new Admission(job.status().isFinished() ? Outcome.ENDED : Outcome.RUNNING, List.of());
		}
		lock(job.tenant());
		int occupied = occupied(job.tenant(), jobId);
		boolean start = cap == 0 || (occupied < cap && (job.released() || heldAhead(job, jobId) == 0));
		if (start) {
			this.jdbc.sql("""
					UPDATE jobs SET status = 'running', started_at = clock_timestamp(), held_since = NULL
					WHERE id = :id AND status = 'queued'""").param("id", jobId).update();
		}
		else {
			this.jdbc.sql("""
					UPDATE jobs SET held_since = COALESCE(held_since, now()), released_at = NULL
					WHERE id = :id""").param("id", jobId).update();
		}
		int free = (cap == 0) ? Integer.MAX_VALUE : cap - occupied - (start ? 1 : 0);
		List<UUID> released = (free > 0) ? release(job.tenant(), free) : List.of();
		return new Admission(start ? Outcome.STARTED : Outcome.HELD, released);
	}

	/**
	 * After a job ended, in the transaction that ended it: when it held a slot (it had
	 * started, or had been released), hands the slot to the tenant's oldest held job.
	 * Cancelled and ended jobs are never released (only queued ones are).
	 * @return the released job, whose start task the caller must send
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<UUID> releaseAfterEnd(UUID endedJobId) {
		Optional<String> tenant = this.jdbc.sql("""
				SELECT tenant FROM jobs
				WHERE id = :id AND (started_at IS NOT NULL OR released_at IS NOT NULL)""")
			.param("id", endedJobId)
			.query(String.class)
			.optional();
		if (tenant.isEmpty()) {
			return Optional.empty();
		}
		lock(tenant.get());
		return release(tenant.get(), 1).stream().findFirst();
	}

	/** When the cap began holding the job; empty when it does not hold it. */
	public Optional<Instant> heldSince(UUID jobId) {
		return this.jdbc.sql("SELECT held_since FROM jobs WHERE id = :id AND held_since IS NOT NULL")
			.param("id", jobId)
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.optional();
	}

	private void lock(String tenant) {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(:space, hashtext(:tenant))")
			.param("space", LOCK_SPACE)
			.param("tenant", tenant)
			.query((rs, n) -> n)
			.list();
	}

	/** The tenant's slots taken by jobs other than this one. */
	private int occupied(String tenant, UUID jobId) {
		return this.jdbc.sql("""
				SELECT count(*)::int FROM jobs WHERE tenant = :tenant AND id <> :id
				AND (status = 'running' OR (status = 'queued' AND released_at IS NOT NULL))""")
			.param("tenant", tenant)
			.param("id", jobId)
			.query(Integer.class)
			.single();
	}

	/**
	 * Held jobs the job must let go first: every held job, or for a held job the older
	 * ones.
	 */
	private int heldAhead(Row job, UUID jobId) {
		String older = job.held() ? " AND (created_at, id) < (:createdAt, :id)" : "";
		return this.jdbc.sql("""
				SELECT count(*)::int FROM jobs WHERE tenant = :tenant AND id <> :id
				AND status = 'queued' AND held_since IS NOT NULL""" + older)
			.param("tenant", job.tenant())
			.param("id", jobId)
			.param("createdAt", Timestamp.from(job.createdAt()))
			.query(Integer.class)
			.single();
	}

	private List<UUID> release(String tenant, int count) {
		return this.jdbc.sql("""
				UPDATE jobs SET held_since = NULL, released_at = now() WHERE id IN (
					SELECT id FROM jobs WHERE tenant = :tenant AND status = 'queued' AND held_since IS NOT NULL
					ORDER BY created_at, id LIMIT :count FOR UPDATE SKIP LOCKED)
				RETURNING id""").param("tenant", tenant).param("count", count).query(UUID.class).list();
	}

	/** What {@link #admit} did. */
	public enum Outcome {

		/** The job moved from queued to running: list it. */
		STARTED,
		/** The job was running already (a redelivered start): list it again. */
		RUNNING,
		/** The cap holds the job: it stays queued until a slot is handed to it. */
		HELD,
		/** The job has ended: nothing to do. */
		ENDED,
		/** No such job. */
		MISSING

	}

	/**
	 * What {@link #admit} did, and the held jobs it released, whose start tasks the
	 * caller must send in the same transaction.
	 */
	public record Admission(Outcome outcome, List<UUID> released) {

		public Admission {
			released = List.copyOf(released);
		}

	}

	private record Row(String tenant, JobStatus status, boolean held, boolean released, Instant createdAt) {

	}

}
