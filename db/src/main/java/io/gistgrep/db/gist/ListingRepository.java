package io.gistgrep.db.gist;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.WorkerOnly;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A job's listing as it is read again in passes: offset pages shift while the user adds,
 * deletes and edits gists, so the worker lists every page again until a pass sees no
 * change. Each page of each pass goes through {@link #storePage}, which adds new gists,
 * takes edits into account, and tells which gists need a scan; {@link #recordPage} keeps
 * a digest of each page to tell whether a pass changed anything.
 */
@Repository
public class ListingRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<List<GistFile>> FILES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final GistRepository gists;

	private final JobRepository jobs;

	public ListingRepository(JdbcClient jdbc, GistRepository gists, JobRepository jobs) {
		this.jdbc = jdbc;
		this.gists = gists;
		this.jobs = jobs;
	}

	/**
	 * Stores a listed page: gists new to the job are added; a gist whose files changed (a
	 * file's raw URL holds its blob SHA, so new content is a new URL) gets the new files
	 * and a new revision, and goes back to pending: if it was counted, its results are
	 * deleted and the job's counters take it back; a gist whose description or update
	 * time alone changed is updated in place, without a new scan. Call in the page's
	 * transaction.
	 * @return the gists to scan: the new ones and the ones whose files changed
	 */
	@Transactional
	@WorkerOnly
	public PageUpdate storePage(UUID jobId, int page, List<GistRef> listed) {
		List<String> added = this.gists.insertNew(jobId, page, listed);
		Set<String> addedIds = new HashSet<>(added);
		List<GistRef> known = listed.stream().filter((g) -> !addedIds.contains(g.id())).toList();
		Map<String, GistRef> stored = stored(jobId, known);
		List<GistRevision> toScan = new ArrayList<>(added.stream().map((id) -> new GistRevision(id, 0)).toList());
		int updated = 0;
		for (GistRef gist : known) {
			GistRef before = stored.get(gist.id());
			if (before == null) {
				continue;
			}
			if (!rawUrls(before).equals(rawUrls(gist)) || before.truncated() != gist.truncated()) {
				toScan.add(reset(jobId, gist));
			}
			else if (!sameDetails(before, gist)) {
				updateDetails(jobId, gist);
				updated++;
			}
		}
		return new PageUpdate(toScan, added.size(), toScan.size() - added.size(), updated);
	}

	/**
	 * Records what a page of a pass held.
	 * @param digest what the page held (ids, update times, raw URLs)
	 * @return whether the page differs from the previous pass's (a page that no earlier
	 * pass had differs; nothing differs in pass 1); a page recorded again in the same
	 * pass (a redelivered task) answers as the first time did
	 */
	@WorkerOnly
	public boolean recordPage(UUID jobId, int page, int pass, String digest) {
		return this.jdbc.sql("""
				INSERT INTO listing_pages AS p (job_id, page, pass, digest, changed)
				VALUES (:jobId, :page, :pass, :digest, :pass > 1)
				ON CONFLICT (job_id, page) DO UPDATE SET
					changed = CASE WHEN p.pass = excluded.pass THEN p.changed OR p.digest <> excluded.digest
						ELSE p.digest <> excluded.digest END,
					pass = excluded.pass, digest = excluded.digest
				RETURNING changed""")
			.param("jobId", jobId)
			.param("page", page)
			.param("pass", pass)
			.param("digest", digest)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Forgets the pages after a pass's last page.
	 * @return whether there were any: the listing has fewer pages than before
	 */
	@WorkerOnly
	public boolean dropPagesAfter(UUID jobId, int lastPage) {
		return this.jdbc.sql("DELETE FROM listing_pages WHERE job_id = :jobId AND page > :page")
			.param("jobId", jobId)
			.param("page", lastPage)
			.update() > 0;
	}

	private Map<String, GistRef> stored(UUID jobId, List<GistRef> known) {
		if (known.isEmpty()) {
			return Map.of();
		}
		return this.jdbc.sql("""
				SELECT gist_id, html_url, description, updated_at, truncated, files::text AS files, git_pull_url
				FROM job_gists WHERE job_id = :jobId AND gist_id = ANY (cast(:ids AS text[]))""")
			.param("jobId", jobId)
			.param("ids", known.stream().map(GistRef::id).toArray(String[]::new))
			.query((rs, row) -> {
				Timestamp updatedAt = rs.getTimestamp("updated_at");
				return new GistRef(rs.getString("gist_id"), rs.getString("html_url"), rs.getString("description"),
						(updatedAt != null) ? updatedAt.toInstant() : null, rs.getBoolean("truncated"),
						JSON.readValue(rs.getString("files"), FILES), rs.getString("git_pull_url"));
			})
			.list()
			.stream()
			.collect(Collectors.toMap(GistRef::id, Function.identity()));
	}

	/**
	 * Moves a gist to its next revision with the new files, under the row's lock so that
	 * a scan finishing at the same moment either counts before (and is taken back here)
	 * or finds the revision changed and records nothing.
	 */
	private GistRevision reset(UUID jobId, GistRef gist) {
		Optional<Counted> counted = this.jdbc.sql("""
				SELECT state, matched FROM job_gists WHERE job_id = :jobId AND gist_id = :gistId FOR UPDATE""")
			.param("jobId", jobId)
			.param("gistId", gist.id())
			.query((rs, row) -> new Counted(rs.getString("state"), rs.getBoolean("matched")))
			.single()
			.asOutcome();
		if (counted.isPresent()) {
			this.jobs.uncountGist(jobId, counted.get().outcome(), counted.get().matched());
			this.jdbc.sql("DELETE FROM gist_files WHERE job_id = :jobId AND gist_id = :gistId")
				.param("jobId", jobId)
				.param("gistId", gist.id())
				.update();
		}
		int revision = this.jdbc.sql("""
				UPDATE job_gists SET state = 'pending', matched = false, error = NULL, finished_at = NULL,
					revision = revision + 1, files = cast(:files AS jsonb), html_url = :htmlUrl,
					description = :description, updated_at = :updatedAt, truncated = :truncated,
					git_pull_url = :gitPullUrl
				WHERE job_id = :jobId AND gist_id = :gistId RETURNING revision""")
			.param("jobId", jobId)
			.param("gistId", gist.id())
			.param("files", JSON.writeValueAsString(gist.files()))
			.param("htmlUrl", gist.htmlUrl())
			.param("description", gist.description())
			.param("updatedAt", (gist.updatedAt() != null) ? Timestamp.from(gist.updatedAt()) : null)
			.param("truncated", gist.truncated())
			.param("gitPullUrl", gist.gitPullUrl())
			.query(Integer.class)
			.single();
		return new GistRevision(gist.id(), revision);
	}

	private void updateDetails(UUID jobId, GistRef gist) {
		this.jdbc.sql("""
				UPDATE job_gists SET html_url = :htmlUrl, description = :description, updated_at = :updatedAt,
					git_pull_url = :gitPullUrl
				WHERE job_id = :jobId AND gist_id = :gistId""")
			.param("jobId", jobId)
			.param("gistId", gist.id())
			.param("htmlUrl", gist.htmlUrl())
			.param("description", gist.description())
			.param("updatedAt", (gist.updatedAt() != null) ? Timestamp.from(gist.updatedAt()) : null)
			.param("gitPullUrl", gist.gitPullUrl())
			.update();
	}

	private static Set<String> rawUrls(GistRef gist) {
		return gist.files().stream().map(GistFile::rawUrl).collect(Collectors.toSet());
	}

	private static boolean sameDetails(GistRef a, GistRef b) {
		return Objects.equals(a.htmlUrl(), b.htmlUrl()) && Objects.equals(a.description(), b.description())
				&& Objects.equals(a.updatedAt(), b.updatedAt()) && Objects.equals(a.gitPullUrl(), b.gitPullUrl());
	}

	private record Counted(String state, boolean matched) {

		Optional<Counted> asOutcome() {
			return "pending".equals(this.state) ? Optional.empty() : Optional.of(this);
		}

		GistOutcome outcome() {
			return GistOutcome.valueOf(this.state.toUpperCase(java.util.Locale.ROOT));
		}

	}

	/**
	 * A gist at a revision, to scan.
	 */
	public record GistRevision(String gistId, int revision) {

	}

	/**
	 * What storing a page changed.
	 *
	 * @param toScan the gists to scan: new ones (revision 0) and ones whose files changed
	 * @param added how many gists were new to the job
	 * @param reset how many known gists had changed files
	 * @param updated how many known gists had other details changed (no new scan)
	 */
	public record PageUpdate(List<GistRevision> toScan, int added, int reset, int updated) {

	}

}
