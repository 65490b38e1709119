package io.gistgrep.worker.reaper;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.task.Queues;
import io.gistgrep.db.gist.ListingRepository.GistRevision;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reaper's queries. Every finder and every claim leaves alone the jobs that wait by
 * design: those the running-jobs cap holds ({@code held_since}) and those parked on
 * GitHub ({@code waiting_for_github_until} in the future). A job is <em>quiet</em> since
 * the latest of its creation, start, release by the cap, progress, end of a GitHub wait,
 * and last repair.
 */
@Repository
class StuckJobs {

	/** The key of the advisory lock that one sweep at a time holds ("reaper"). */
	private static final long LOCK = 0x726561706572L;

	private static final String WAITING_BY_DESIGN = """
			held_since IS NOT NULL OR (waiting_for_github_until IS NOT NULL AND waiting_for_github_until > now())""";

	private static final String QUIET_SINCE = """
			GREATEST(created_at, started_at, released_at, progress_at, reaped_at, waiting_for_github_until)""";

	private static final String ALL_COUNTED = """
			gists_total IS NOT NULL AND gists_total = gists_scanned + gists_skipped + gists_failed""";

	/** An unsent outbox row to one of the given routing keys that carries the job. */
	private static final String UNSENT = """
			EXISTS (SELECT 1 FROM outbox o WHERE o.sent_at IS NULL AND o.routing_key IN (%s)
				AND o.payload LIKE '%%' || j.id::text || '%%')""";

	private final JdbcClient jdbc;

	StuckJobs(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Takes the sweep's lock for the current transaction, if no other sweep (on any
	 * replica) holds it.
	 */
	boolean tryLock() {
		return Boolean.TRUE.equals(this.jdbc.sql("SELECT pg_try_advisory_xact_lock(:key)")
			.param("key", LOCK)
			.query(Boolean.class)
			.single());
	}

	/** Running jobs whose gists are all counted: their last count did not end them. */
	List<UUID> counted(int limit) {
		return this.jdbc
			.sql("SELECT id FROM jobs j WHERE status = 'running' AND " + ALL_COUNTED
					+ " ORDER BY created_at, id LIMIT :limit")
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}

	/**
	 * Queued jobs, not waiting by design, quiet for longer than {@code after}, with no
	 * start task in the outbox: their start task is gone (if the start queue is empty).
	 */
	List<Quiet> lostStarts(Duration after, int limit) {
		return quiet("status = 'queued' AND NOT " + unsent(Queues.START_JOB), after, limit);
	}

	/**
	 * Running jobs not all counted, not waiting by design, quiet for longer than
	 * {@code after}, with no listing or scan task in the outbox: their tasks are gone (if
	 * those queues are empty).
	 */
	List<Quiet> stalled(Duration after, int limit) {
		return quiet("status = 'running' AND NOT (" + ALL_COUNTED + ") AND NOT "
				+ unsent(Queues.LIST_PAGE, Queues.SCAN_GIST), after, limit);
	}

	private List<Quiet> quiet(String condition, Duration after, int limit) {
		return this.jdbc.sql("""
				SELECT id, username, gists_total IS NOT NULL AS listed, repairs,
					(SELECT count(*)::int FROM job_gists g WHERE g.job_id = j.id AND g.state = 'pending') AS pending
				FROM jobs j WHERE %s AND NOT (%s) AND %s < now() - make_interval(secs => :after)
				ORDER BY created_at, id LIMIT :limit""".formatted(condition, WAITING_BY_DESIGN, QUIET_SINCE))
			.param("after", seconds(after))
			.param("limit", limit)
			.query((rs, row) -> new Quiet(rs.getObject("id", UUID.class), rs.getString("username"),
					rs.getBoolean("listed"), rs.getInt("repairs"), rs.getInt("pending")))
			.list();
	}

	/**
	 * Marks a repair of a job that is still as it was found (same status, still quiet,
	 * still not waiting by design): at most one of several reapers gets the job, even
	 * without the sweep's lock, and the next sweep leaves it for {@code after} again.
	 * @return whether the job is this repair's
	 */
	boolean claim(UUID id, String status, Duration after) {
		return this.jdbc
			.sql("""
					UPDATE jobs j SET reaped_at = now(), repairs = repairs + 1
					WHERE id = :id AND status = :status AND NOT (%s) AND %s < now() - make_interval(secs => :after)"""
				.formatted(WAITING_BY_DESIGN, QUIET_SINCE))
			.param("id", id)
			.param("status", status)
			.param("after", seconds(after))
			.update() == 1;
	}

	/**
	 * A job's gists sent to be scanned (released) and not counted yet, with the revision
	 * a scan must read.
	 */
	List<GistRevision> pendingReleased(UUID id) {
		return this.jdbc.sql("""
				SELECT gist_id, revision FROM job_gists WHERE job_id = :id AND state = 'pending' AND released
				ORDER BY gist_id""")
			.param("id", id)
			.query((rs, row) -> new GistRevision(rs.getString(1), rs.getInt(2)))
			.list();
	}

	/** The latest listing pass that stored a page of the job; 0 when none did. */
	int lastPass(UUID id) {
		return this.jdbc.sql("SELECT COALESCE(max(pass), 0) FROM listing_pages WHERE job_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	private static String unsent(String... routingKeys) {
		StringBuilder keys = new StringBuilder();
		for (String key : routingKeys) {
			keys.append((keys.isEmpty()) ? "" : ", ").append('\'').append(key).append('\'');
		}
		return UNSENT.formatted(keys);
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/**
	 * A quiet job as found.
	 *
	 * @param listed whether its listing is complete (its total recorded)
	 * @param repairs the reaper's repairs since it last moved
	 * @param pending its gists not counted yet
	 */
	record Quiet(UUID id, String username, boolean listed, int repairs, int pending) {

	}

}
