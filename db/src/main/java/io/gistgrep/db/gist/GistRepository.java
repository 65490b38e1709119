package io.gistgrep.db.gist;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.WorkerOnly;
import io.gistgrep.scanner.LineMatch;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The gists of each job and their results. Rows go in as one JSON document per statement
 * ({@code jsonb_to_recordset}), so a page of 100 gists or a file's 100 matches is one
 * round trip. What answers a client takes a {@link JobKey} and reads a job's rows only
 * when the job is the key's tenant's; the rest, by job id alone, is the worker's
 * ({@link WorkerOnly}).
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
		boolean matched = files.stream().anyMatch((f) -> f.matchCount() > 0);
		int moved = this.jdbc.sql("""
				UPDATE job_gists SET state = :state, matched = :matched, error = :error, finished_at = now()
				WHERE job_id = :jobId AND gist_id = :gistId AND state = 'pending' AND revision = :revision
					AND EXISTS (SELECT 1 FROM jobs WHERE id = :jobId AND status IN ('queued', 'running'))""")
			.param("jobId", jobId)
			.param("gistId", gistId)
			.param("revision", revision)
			.param("state", outcome.value())
			.param("matched", matched)
			.param("error", error)
			.update();
		if (moved == 0) {
			return false;
		}
		insertFiles(jobId, gistId, files);
		return true;
	}

	private void insertFiles(UUID jobId, String gistId, List<FileResult> files) {
		if (files.isEmpty()) {
			return;
		}
		List<Map<String, Object>> fileRows = new ArrayList<>();
		List<Map<String, Object>> matchRows = new ArrayList<>();
		for (FileResult result : files) {
			GistFile file = result.file();
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("filename", file.filename());
			row.put("language", file.language());
			row.put("size", file.size());
			row.put("raw_url", file.rawUrl());
			row.put("status", (result.skipReason() != null) ? "skipped" : "scanned");
			row.put("skip_reason", result.skipReason());
			row.put("match_count", result.matchCount());
			fileRows.add(row);
			int ordinal = 0;
			for (LineMatch match : result.matches()) {
				Map<String, Object> m = new LinkedHashMap<>();
				m.put("filename", file.filename());
				m.put("ordinal", ordinal++);
				m.put("line", match.line());
				m.put("text", match.text());
				m.put("text_start", match.textStart());
				m.put("start_col", match.start());
				m.put("end_col", match.end());
				matchRows.add(m);
			}
		}
		this.jdbc
			.sql("""
					INSERT INTO gist_files (job_id, gist_id, filename, language, size, raw_url, status, skip_reason, match_count)
					SELECT :jobId, :gistId, f.filename, f.language, f.size, f.raw_url, f.status, f.skip_reason, f.match_count
					FROM jsonb_to_recordset(cast(:rows AS jsonb)) AS f(filename text, language text, size bigint,
						raw_url text, status text, skip_reason text, match_count integer)""")
			.param("jobId", jobId)
			.param("gistId", gistId)
			.param("rows", JSON.writeValueAsString(fileRows))
			.update();
		if (!matchRows.isEmpty()) {
			this.jdbc
				.sql("""
						INSERT INTO file_matches (job_id, gist_id, filename, ordinal, line, text, text_start, start_col, end_col)
						SELECT :jobId, :gistId, m.filename, m.ordinal, m.line, m.text, m.text_start, m.start_col, m.end_col
						FROM jsonb_to_recordset(cast(:rows AS jsonb)) AS m(filename text, ordinal integer, line integer,
							text text, text_start integer, start_col integer, end_col integer)""")
				.param("jobId", jobId)
				.param("gistId", gistId)
				.param("rows", JSON.writeValueAsString(matchRows))
				.update();
		}
	}

	/**
	 * One page of a job's matching gists in gist id order, after {@code afterGistId}
	 * (keyset pagination), each with its matching files and their stored matches; none
	 * when the job is not the key's tenant's.
	 */
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
				byId.get(gistId)
					.files()
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
