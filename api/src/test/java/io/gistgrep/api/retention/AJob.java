package io.gistgrep.api.retention;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.job.JobRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A job as it stands after it ran (or while it runs), written straight to the database
 * the way the worker leaves it: its status, times and counters on the row, one gist with
 * its files' outcomes (match lines and sizes) below it.
 */
final class AJob {

	private final String tenant;

	private String username = "octocat";

	private String pattern = "needle";

	private Instant createdAt;

	private String status = "succeeded";

	private Duration took = Duration.ofSeconds(1);

	private @Nullable Integer total;

	private int scanned;

	private int matched;

	private int skipped;

	private int failed;

	private final List<File> files = new ArrayList<>();

	private record File(String name, String status, long size, int matches) {

	}

	private AJob(String tenant, Instant createdAt) {
		this.tenant = tenant;
		this.createdAt = createdAt;
	}

	static AJob aJob(String tenant, Instant createdAt) {
		return new AJob(tenant, createdAt);
	}

	AJob by(String username, String pattern) {
		this.username = username;
		this.pattern = pattern;
		return this;
	}

	/** Ended with this status, this long after it was submitted. */
	AJob ended(String status, Duration took) {
		this.status = status;
		this.took = took;
		return this;
	}

	AJob running() {
		this.status = "running";
		return this;
	}

	AJob gists(@Nullable Integer total, int scanned, int matched, int skipped, int failed) {
		this.total = total;
		this.scanned = scanned;
		this.matched = matched;
		this.skipped = skipped;
		this.failed = failed;
		return this;
	}

	AJob scannedFile(String name, long size, int matches) {
		this.files.add(new File(name, "scanned", size, matches));
		return this;
	}

	AJob skippedFile(String name, long size) {
		this.files.add(new File(name, "skipped", size, 0));
		return this;
	}

	UUID insert(JobRepository jobs, GistRepository gists, JdbcClient jdbc) {
		UUID id = UUID.randomUUID();
		jobs.insert(Job.queued(id, this.tenant, this.username, this.pattern, null, this.createdAt));
		boolean ended = !this.status.equals("running");
		jdbc.sql("""
				UPDATE jobs SET status = :status, started_at = created_at, finished_at = :finishedAt,
					gists_total = :total, gists_scanned = :scanned, gists_matched = :matched,
					gists_skipped = :skipped, gists_failed = :failed
				WHERE id = :id""")
			.param("status", this.status)
			.param("finishedAt", ended ? Timestamp.from(this.createdAt.plus(this.took)) : null)
			.param("total", this.total)
			.param("scanned", this.scanned)
			.param("matched", this.matched)
			.param("skipped", this.skipped)
			.param("failed", this.failed)
			.param("id", id)
			.update();
		if (!this.files.isEmpty()) {
			gists.insertPage(id, 1,
					List.of(new GistRef("g1", "https://gist.github.com/o/g1", null, null, false,
							this.files.stream()
								.map((f) -> new GistFile(f.name(), null, null, "https://raw/" + f.name(), f.size()))
								.toList())));
			for (File file : this.files) {
				jdbc.sql("""
						INSERT INTO gist_files (job_id, gist_id, filename, size, raw_url, status, match_count)
						VALUES (:id, 'g1', :name, :size, :url, :status, :matches)""")
					.param("id", id)
					.param("name", file.name())
					.param("size", file.size())
					.param("url", "https://raw/" + file.name())
					.param("status", file.status())
					.param("matches", file.matches())
					.update();
			}
		}
		return id;
	}

}
