package io.gistgrep.db.gist;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
	 * Stores a listed page of pass {@code pass}: gists new to the job are added; a gist
	 * whose files changed (a file's raw URL holds its blob SHA, so new content is a new
	 * URL) gets the new files and a new revision, and goes back to pending: if it was
	 * counted, its results are deleted and the job's counters take it back; a gist whose
	 * description or update time alone changed is updated in place, without a new scan.
	 * Nothing is stored when the job's listing is closed (the job ended, or its total is
	 * recorded) or a later pass has begun (a stale duplicate chain of pages). Call in the
	 * page's transaction.
	 * <p>
	 * Locks, in this order: the page's known gist rows (by id), then the job's row. A
	 * scan that finishes locks its gist's row, then the job's row (to count it), so the
	 * two never wait on each other in a cycle.
	 * @return the gists to scan: the new ones and the ones whose files changed
	 */
	@Transactional
	@WorkerOnly
	public PageUpdate storePage(UUID jobId, int page, int pass, List<GistRef> listed) {
		Map<String, Stored> stored = lockStored(jobId, listed);
		if (!this.jobs.lockOpenListing(jobId, pass)) {
			return PageUpdate.CLOSED;
		}
		List<GistRef> fresh = listed.stream().filter((g) -> !stored.containsKey(g.id())).toList();
		List<String> added = this.gists.insertNew(jobId, page, fresh);
		List<GistRevision> toScan = new ArrayList<>(added.stream().map((id) -> new GistRevision(id, 0)).toList());
		int updated = 0;
		Uncount uncount = new Uncount();
		for (GistRef gist : listed) {
			Stored before = stored.get(gist.id());
			if (before == null) {
				continue;
			}
			if (!rawUrls(before.gist()).equals(rawUrls(gist)) || before.gist().truncated() != gist.truncated()) {
				toScan.add(reset(jobId, gist, before, uncount));
			}
			else if (!sameDetails(before.gist(), gist)) {
				updateDetails(jobId, gist);
				updated++;
			}
		}
		uncount.apply(this.jobs, jobId);
		return new PageUpdate(true, toScan, added.size(), toScan.size() - added.size(), updated);
	}

	/**
	 * Records what a page of a pass held, and, for a pass's last page, forgets the pages
	 * after it.
	 * @param digest what the page held (ids, update times, raw URLs)
	 * @param last whether the page is the last of its pass
	 * @return whether the page differs from the previous pass's: a page that no earlier
	 * pass had differs, and so does the last page of a pass with fewer pages than the one
	 * before; nothing differs in pass 1. A page recorded again in the same pass (a
	 * redelivered task) answers as the first time did.
	 */
	@WorkerOnly
	public boolean recordPage(UUID jobId, int page, int pass, String digest, boolean last) {
		boolean fewer = last && this.jdbc.sql("DELETE FROM listing_pages WHERE job_id = :jobId AND page > :page")
			.param("jobId", jobId)
			.param("page", page)
			.update() > 0;
		return this.jdbc.sql("""
				INSERT INTO listing_pages AS p (job_id, page, pass, digest, changed)
				VALUES (:jobId, :page, :pass, :digest, :pass > 1)
				ON CONFLICT (job_id, page) DO UPDATE SET
					changed = CASE WHEN p.pass = excluded.pass THEN p.changed OR p.digest <> excluded.digest
						ELSE p.digest <> excluded.digest OR (excluded.pass > 1 AND :fewer) END,
					pass = excluded.pass, digest = excluded.digest
				RETURNING changed""")
			.param("jobId", jobId)
			.param("page", page)
			.param("pass", pass)
			.param("digest", digest)
			.param("fewer", fewer)
			.query(Boolean.class)
			.single();
	}

	/** A gist as the job has it, with its state. */
	private record Stored(GistRef gist, String state, boolean matched) {

	}

	/** The page's gists the job has already, their rows locked in id order. */
	private Map<String, Stored> lockStored(UUID jobId, List<GistRef> listed) {
		if (listed.isEmpty()) {
			return Map.of();
		}
		return this.jdbc.sql("""
				SELECT gist_id, html_url, description, updated_at, truncated, files::text AS files, git_pull_url,
					state, matched
				FROM job_gists WHERE job_id = :jobId AND gist_id = ANY (cast(:ids AS text[]))
				ORDER BY gist_id FOR UPDATE""")
			.param("jobId", jobId)
			.param("ids", listed.stream().map(GistRef::id).toArray(String[]::new))
			.query((rs, row) -> {
				Timestamp updatedAt = rs.getTimestamp("updated_at");
				return new Stored(
						new GistRef(rs.getString("gist_id"), rs.getString("html_url"), rs.getString("description"),
								(updatedAt != null) ? updatedAt.toInstant() : null, rs.getBoolean("truncated"),
								JSON.readValue(rs.getString("files"), FILES), rs.getString("git_pull_url")),
						rs.getString("state"), rs.getBoolean("matched"));
			})
			.list()
			.stream()
			.collect(Collectors.toMap((stored) -> stored.gist().id(), Function.identity()));
	}

	/**
	 * Moves a gist to its next revision with the new files, under the row's lock (taken
	 * by {@link #lockStored}) so that a scan finishing at the same moment either counts
	 * before (and is taken back here) or finds the revision changed and records nothing.
	 */
	private GistRevision reset(UUID jobId, GistRef gist, Stored before, Uncount uncount) {
		if (!"pending".equals(before.state())) {
			uncount.add(GistOutcome.valueOf(before.state().toUpperCase(Locale.ROOT)), before.matched());
			this.jdbc.sql("DELETE FROM gist_files WHERE job_id = :jobId AND gist_id = :gistId")
				.param("jobId", jobId)
				.param("gistId", gist.id())
				.update();
		}
		int revision = this.jdbc.sql("""
				UPDATE job_gists SET state = 'pending', matched = false, error = NULL, finished_at = NULL,
					released = false, revision = revision + 1, files = cast(:files AS jsonb), html_url = :htmlUrl,
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

	/** The counts of the page's reset gists, taken back from the job in one update. */
	private static final class Uncount {

		private int scanned;

		private int skipped;

		private int failed;

		private int matched;

		void add(GistOutcome outcome, boolean matched) {
			switch (outcome) {
				case SCANNED -> this.scanned++;
				case SKIPPED -> this.skipped++;
				case FAILED -> this.failed++;
			}
			this.matched += matched ? 1 : 0;
		}

		void apply(JobRepository jobs, UUID jobId) {
			if (this.scanned + this.skipped + this.failed > 0) {
				jobs.uncount(jobId, this.scanned, this.skipped, this.failed, this.matched);
			}
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
	 * @param open false when nothing was stored: the job's listing is closed, or a later
	 * pass has begun
	 * @param toScan the gists to scan: new ones (revision 0) and ones whose files changed
	 * @param added how many gists were new to the job
	 * @param reset how many known gists had changed files
	 * @param updated how many known gists had other details changed (no new scan)
	 */
	public record PageUpdate(boolean open, List<GistRevision> toScan, int added, int reset, int updated) {

		static final PageUpdate CLOSED = new PageUpdate(false, List.of(), 0, 0, 0);

	}

}
