package io.gistgrep.db.gist;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.WorkerOnly;
import io.gistgrep.scanner.LineMatch;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The gists of each job and their results. A listing page goes in as one JSON document
 * ({@code jsonb_to_recordset}), and a batch of scans' results as arrays, one per column
 * ({@code unnest}), so a page of 100 gists or a batch of 100 gists' files and matches is
 * one round trip per table. What answers a client takes a {@link JobKey} and reads a
 * job's rows only when the job is the key's tenant's; the rest, by job id alone, is the
 * worker's ({@link WorkerOnly}).
 */
@Repository
public class GistRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<List<GistFile>> FILES = new TypeReference<>() {
	};

	/**
	 * The condition that makes a statement on a job's rows read nothing unless the job
	 * {@code :jobId} is the tenant {@code :tenant}'s: uncorrelated, so PostgreSQL checks
	 * it once per statement (a one-time filter on the jobs primary key).
	 */
	private static final String OWNED = "EXISTS (SELECT 1 FROM jobs WHERE id = :jobId AND tenant = :tenant)";

	private final JdbcClient jdbc;

	public GistRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a page of listed gists; gists the job already has are left as they are.
	 * @return the number of gists that were new to the job
	 */
	@WorkerOnly
	public int insertPage(UUID jobId, int page, List<GistRef> gists) {
		return insertNew(jobId, page, gists).size();
	}

	/**
	 * Stores a page of listed gists; gists the job already has are left as they are.
	 * @return the ids of the gists that were new to the job
	 */
	@WorkerOnly
	public List<String> insertNew(UUID jobId, int page, List<GistRef> gists) {
		if (gists.isEmpty()) {
			return List.of();
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (GistRef gist : gists) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("id", gist.id());
			row.put("html_url", gist.htmlUrl());
			row.put("description", gist.description());
			row.put("updated_at", (gist.updatedAt() != null) ? gist.updatedAt().toString() : null);
			row.put("truncated", gist.truncated());
			row.put("files", gist.files());
			row.put("git_pull_url", gist.gitPullUrl());
			rows.add(row);
		}
		return this.jdbc
			.sql("""
					INSERT INTO job_gists (job_id, gist_id, page, html_url, description, updated_at, truncated, files,
						git_pull_url)
					SELECT :jobId, g.id, :page, g.html_url, g.description, g.updated_at, g.truncated, g.files,
						g.git_pull_url
					FROM jsonb_to_recordset(cast(:rows AS jsonb))
						AS g(id text, html_url text, description text, updated_at timestamptz, truncated boolean, files jsonb,
							git_pull_url text)
					ON CONFLICT (job_id, gist_id) DO NOTHING RETURNING gist_id""")
			.param("jobId", jobId)
			.param("page", page)
			.param("rows", JSON.writeValueAsString(rows))
			.query(String.class)
			.list();
	}

	@WorkerOnly
	public Optional<JobGist> find(UUID jobId, String gistId) {
		return this.jdbc.sql("""
				SELECT job_id, gist_id, html_url, description, updated_at, truncated, files::text AS files, state,
					git_pull_url, revision
				FROM job_gists WHERE job_id = :jobId AND gist_id = :gistId""")
			.param("jobId", jobId)
			.param("gistId", gistId)
			.query(GistRepository::mapJobGist)
			.optional();
	}

	/** The ids of a job's gists that have not been counted yet, in id order. */
	@WorkerOnly
	public List<String> pendingGistIds(UUID jobId) {
		return this.jdbc
			.sql("SELECT gist_id FROM job_gists WHERE job_id = :jobId AND state = 'pending' ORDER BY gist_id")
			.param("jobId", jobId)
			.query(String.class)
			.list();
	}

	/**
	 * Records the outcome of a gist never re-listed with other files (revision 0).
	 * @see #finish(UUID, String, int, GistOutcome, String, List)
	 */
	@WorkerOnly
	public boolean finish(UUID jobId, String gistId, GistOutcome outcome, @Nullable String error,
			List<FileResult> files) {
		return finish(jobId, gistId, 0, outcome, error, files);
	}

	/**
	 * Records a gist's outcome and its files' results, once: a gist that is no longer
	 * pending is left alone, so a redelivered scan changes nothing; nor is anything
	 * recorded for a job that has ended (e.g. was cancelled while the scan ran), nor for
	 * a revision that is no longer the gist's (a later listing pass found its files
	 * changed while this scan read the old ones: the new revision's scan records).
	 * @param revision the gist's revision when its files were read
	 * @return true when this call recorded the outcome, false when one was already there
	 * or the revision was stale
	 */
	@WorkerOnly
	public boolean finish(UUID jobId, String gistId, int revision, GistOutcome outcome, @Nullable String error,
			List<FileResult> files) {
		return !finishAll(List.of(new GistFinish(jobId, gistId, revision, outcome, error, files))).isEmpty();
	}

	/**
	 * The job's gists among {@code keys}, by key: one query for a batch of scans.
	 */
	@WorkerOnly
	public Map<GistKey, JobGist> findAll(Collection<GistKey> keys) {
		if (keys.isEmpty()) {
			return Map.of();
		}
		Map<GistKey, JobGist> found = new HashMap<>();
		this.jdbc
			.sql("""
					SELECT g.job_id, g.gist_id, g.html_url, g.description, g.updated_at, g.truncated, g.files::text AS files,
						g.state, g.git_pull_url, g.revision
					FROM job_gists g
					JOIN (SELECT DISTINCT * FROM unnest(cast(:jobIds AS uuid[]), cast(:gistIds AS text[]))) AS k(job_id, gist_id)
						ON g.job_id = k.job_id AND g.gist_id = k.gist_id""")
			.param("jobIds", keys.stream().map(GistKey::jobId).toArray(UUID[]::new))
			.param("gistIds", keys.stream().map(GistKey::gistId).toArray(String[]::new))
			.query(GistRepository::mapJobGist)
			.list()
			.forEach((gist) -> found.put(new GistKey(gist.jobId(), gist.gist().id()), gist));
		return found;
	}

	/**
	 * Records the outcome of each gist as
	 * {@link #finish(UUID, String, int, GistOutcome, String, List)} does, for a batch:
	 * one statement moves every gist that is still pending at its revision (of a job that
	 * has not ended), and two more insert the results of their files and their matches. A
	 * gist named twice is recorded once, as its first finish says.
	 * <p>
	 * The gists' rows are locked first, in job and gist id order, as a listing page locks
	 * its gists (in gist id order, {@link ListingRepository#storePage}): an update takes
	 * its rows in whatever order its plan reads them, and a batch that held one of a
	 * page's gists while waiting for another the page held deadlocked with it (seen
	 * during a big job's second listing pass, which PostgreSQL broke by failing one
	 * side).
	 * @return the finishes that were recorded, in the order given
	 */
	@WorkerOnly
	public List<GistFinish> finishAll(List<GistFinish> finishes) {
		if (finishes.isEmpty()) {
			return List.of();
		}
		Map<GistKey, GistFinish> byKey = new LinkedHashMap<>();
		for (GistFinish finish : finishes) {
			byKey.putIfAbsent(new GistKey(finish.jobId(), finish.gistId()), finish);
		}
		List<GistFinish> unique = List.copyOf(byKey.values());
		int n = unique.size();
		UUID[] jobIds = new UUID[n];
		String[] gistIds = new String[n];
		int[] revisions = new int[n];
		String[] states = new String[n];
		boolean[] matched = new boolean[n];
		String[] errors = new String[n];
		for (int i = 0; i < n; i++) {
			GistFinish finish = unique.get(i);
			jobIds[i] = finish.jobId();
			gistIds[i] = finish.gistId();
			revisions[i] = finish.revision();
			states[i] = finish.outcome().value();
			matched[i] = finish.matched();
			errors[i] = finish.error();
		}
		this.jdbc.sql("""
				SELECT 1 FROM job_gists g
				JOIN unnest(cast(:jobIds AS uuid[]), cast(:gistIds AS text[])) AS k(job_id, gist_id)
					ON g.job_id = k.job_id AND g.gist_id = k.gist_id
				ORDER BY g.job_id, g.gist_id FOR UPDATE OF g""")
			.param("jobIds", jobIds)
			.param("gistIds", gistIds)
			.query(Integer.class)
			.list();
		Set<GistKey> moved = new HashSet<>();
		this.jdbc.sql("""
				UPDATE job_gists g SET state = u.state, matched = u.matched, error = u.error, finished_at = now()
				FROM unnest(cast(:jobIds AS uuid[]), cast(:gistIds AS text[]), cast(:revisions AS integer[]),
					cast(:states AS text[]), cast(:matched AS boolean[]), cast(:errors AS text[]))
					AS u(job_id, gist_id, revision, state, matched, error)
				WHERE g.job_id = u.job_id AND g.gist_id = u.gist_id AND g.state = 'pending' AND g.revision = u.revision
					AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = u.job_id AND j.status IN ('queued', 'running'))
				RETURNING g.job_id, g.gist_id""")
			.param("jobIds", jobIds)
			.param("gistIds", gistIds)
			.param("revisions", revisions)
			.param("states", states)
			.param("matched", matched)
			.param("errors", errors)
			.query((rs, row) -> new GistKey(rs.getObject(1, UUID.class), rs.getString(2)))
			.list()
			.forEach(moved::add);
		if (moved.isEmpty()) {
			return List.of();
		}
		List<GistFinish> recorded = new ArrayList<>(moved.size());
		for (GistFinish finish : unique) {
			if (moved.contains(new GistKey(finish.jobId(), finish.gistId()))) {
				recorded.add(finish);
			}
		}
		ResultInserts.insert(this.jdbc, recorded);
		return recorded;
	}

	/**
	 * Releases a job's next gists to be scanned, so that at most {@code window} of its
	 * gists are in flight (pending and released), and marks them released; the caller
	 * sends their scan tasks in the same transaction. Call with the job's row locked (the
	 * listing's page lock, or the count of its gists), so that two callers do not both
	 * fill the same window. Rows another transaction holds (a listing page of the job)
	 * are skipped: they are released by a later call.
	 * @param window the most gists of the job in flight; 0 or less for no bound
	 * @return the gists released, with the revision their scan must read
	 */
	@WorkerOnly
	public List<ListingRepository.GistRevision> release(UUID jobId, int window) {
		return release(jobId, window, window);
	}

	/**
	 * Releases as {@link #release(UUID, int)} does, with a window that starts wider: at
	 * most {@code max(window, startWindow - counted)} gists in flight, where
	 * {@code counted} is how many of the job's gists its counters hold (scanned, skipped
	 * or failed). A job of up to {@code startWindow} gists thus has all of them on their
	 * way as soon as they are listed, while a bigger job's share narrows to
	 * {@code window} once it has counted {@code startWindow - window} of them.
	 * @param window the most gists of the job in flight once it is under way; 0 or less
	 * for no bound
	 * @param startWindow the most gists in flight of a job that has counted none yet
	 * @return the gists released, with the revision their scan must read
	 */
	@WorkerOnly
	public List<ListingRepository.GistRevision> release(UUID jobId, int window, int startWindow) {
		int room = Integer.MAX_VALUE;
		if (window > 0) {
			int[] state = this.jdbc
				.sql("""
						SELECT (SELECT count(*) FROM job_gists WHERE job_id = :jobId AND state = 'pending' AND released),
							COALESCE((SELECT gists_scanned + gists_skipped + gists_failed FROM jobs WHERE id = :jobId), 0)""")
				.param("jobId", jobId)
				.query((rs, row) -> new int[] { rs.getInt(1), rs.getInt(2) })
				.single();
			int inFlight = state[0];
			int counted = state[1];
			room = Math.max(window, startWindow - counted) - inFlight;
			if (room <= 0) {
				return List.of();
			}
		}
		return this.jdbc.sql("""
				WITH next AS (
					SELECT gist_id FROM job_gists WHERE job_id = :jobId AND state = 'pending' AND NOT released
					ORDER BY gist_id LIMIT :room FOR UPDATE SKIP LOCKED)
				UPDATE job_gists g SET released = true FROM next WHERE g.job_id = :jobId AND g.gist_id = next.gist_id
				RETURNING g.gist_id, g.revision""")
			.param("jobId", jobId)
			.param("room", room)
			.query((rs, row) -> new ListingRepository.GistRevision(rs.getString(1), rs.getInt(2)))
			.list();
	}

	/**
	 * One page of a job's matching gists in gist id order, after {@code afterGistId}
	 * (keyset pagination), each with its matching files and their stored matches; none
	 * when the job is not the key's tenant's. Its three statements read one snapshot
	 * (repeatable read): a running job's scans commit meanwhile, and each statement would
	 * otherwise see a later state than the one before it.
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public List<MatchingGist> matchingGists(JobKey job, @Nullable String afterGistId, int limit) {
		String after = (afterGistId != null) ? afterGistId : "";
		List<MatchingGist> gists = this.jdbc.sql("""
				SELECT gist_id, html_url, description, updated_at FROM job_gists
				WHERE job_id = :jobId AND matched AND gist_id > :after AND %s
				ORDER BY gist_id LIMIT :limit""".formatted(OWNED))
			.param("jobId", job.id())
			.param("tenant", job.tenant())
			.param("after", after)
			.param("limit", limit)
			.query((rs, row) -> new MatchingGist(rs.getString("gist_id"), rs.getString("html_url"),
					rs.getString("description"), instantOrNull(rs, "updated_at"), new ArrayList<>()))
			.list();
		if (gists.isEmpty()) {
			return gists;
		}
		String last = gists.getLast().gistId();
		Map<String, MatchingGist> byId = new LinkedHashMap<>();
		gists.forEach((g) -> byId.put(g.gistId(), g));
		Map<String, List<LineMatch>> matches = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT gist_id, filename, line, text, text_start, start_col, end_col FROM file_matches
				WHERE job_id = :jobId AND gist_id > :after AND gist_id <= :last AND %s
				ORDER BY gist_id, filename, ordinal""".formatted(OWNED))
			.param("jobId", job.id())
			.param("tenant", job.tenant())
			.param("after", after)
			.param("last", last)
			.query((ResultSet rs) -> {
				matches
					.computeIfAbsent(rs.getString("gist_id") + "/" + rs.getString("filename"), (k) -> new ArrayList<>())
					.add(new LineMatch(rs.getInt("line"), rs.getString("text"), rs.getInt("text_start"),
							rs.getInt("start_col"), rs.getInt("end_col")));
			});
		this.jdbc.sql("""
				SELECT gist_id, filename, language, size, raw_url, match_count FROM gist_files
				WHERE job_id = :jobId AND gist_id > :after AND gist_id <= :last AND match_count > 0 AND %s
				ORDER BY gist_id, filename""".formatted(OWNED))
			.param("jobId", job.id())
			.param("tenant", job.tenant())
			.param("after", after)
			.param("last", last)
			.query((ResultSet rs) -> {
				String gistId = rs.getString("gist_id");
				String filename = rs.getString("filename");
				MatchingGist gist = byId.get(gistId);
				if (gist == null) {
					// Not on this page: only when called inside a transaction of the
					// caller's, at a weaker isolation, whose statements see different
					// states. Its files wait for the read that lists the gist.
					return;
				}
				gist.files()
					.add(new MatchingGist.File(filename, rs.getString("language"), rs.getLong("size"),
							rs.getString("raw_url"), rs.getInt("match_count"),
							matches.getOrDefault(gistId + "/" + filename, List.of())));
			});
		return gists;
	}

	/**
	 * The html_url of every matching gist of a job, in gist id order; none when the job
	 * is not the key's tenant's.
	 */
	public List<String> matchingHtmlUrls(JobKey job) {
		return this.jdbc
			.sql("SELECT html_url FROM job_gists WHERE job_id = :jobId AND matched AND " + OWNED + " ORDER BY gist_id")
			.param("jobId", job.id())
			.param("tenant", job.tenant())
			.query(String.class)
			.list();
	}

	private static JobGist mapJobGist(ResultSet rs, int row) throws SQLException {
		String state = rs.getString("state");
		GistRef gist = new GistRef(rs.getString("gist_id"), rs.getString("html_url"), rs.getString("description"),
				instantOrNull(rs, "updated_at"), rs.getBoolean("truncated"),
				JSON.readValue(rs.getString("files"), FILES), rs.getString("git_pull_url"));
		Optional<GistOutcome> outcome = "pending".equals(state) ? Optional.empty()
				: Optional.of(GistOutcome.valueOf(state.toUpperCase(java.util.Locale.ROOT)));
		return new JobGist(rs.getObject("job_id", UUID.class), gist, outcome, rs.getInt("revision"));
	}

	private static java.time.@Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
		Timestamp ts = rs.getTimestamp(column);
		return (ts != null) ? ts.toInstant() : null;
	}

}
