package io.gistgrep.db.gist;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.Progress;
import io.gistgrep.db.gist.ListingRepository.GistRevision;
import io.gistgrep.db.gist.ListingRepository.PageUpdate;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.scanner.LineMatch;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class ListingRepositoryTests {

	private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	ListingRepository listings;

	@Autowired
	JdbcClient jdbc;

	UUID jobId;

	@BeforeEach
	void runningJob() {
		this.jobId = UUID.randomUUID();
		this.jobs.insert(Job.queued(this.jobId, "t", "octocat", "x", null, Instant.now()));
		assertThat(this.jobs.start(this.jobId)).isTrue();
	}

	@Test
	void aPageListedAgainUnchangedAsksForNoScan() {
		PageUpdate first = this.listings.storePage(this.jobId, 1, 1,
				List.of(gist("a", "sha1", "one"), gist("b", "sha1", "one")));
		assertThat(first.toScan()).containsExactly(new GistRevision("a", 0), new GistRevision("b", 0));
		PageUpdate again = this.listings.storePage(this.jobId, 2, 1,
				List.of(gist("b", "sha1", "one"), gist("c", "sha1", "one")));
		assertThat(again.toScan()).as("only the gist new to the job").containsExactly(new GistRevision("c", 0));
		assertThat(again.added()).isEqualTo(1);
		assertThat(again.reset()).isZero();
	}

	@Test
	void aCountedGistWhoseFilesChangedIsPendingAgainAtItsNextRevisionAndItsCountIsTakenBack() {
		this.listings.storePage(this.jobId, 1, 1,
				List.of(gist("a", "sha1", "one"), gist("b", "sha1", "one"), gist("c", "sha1", "one")));
		count("a", GistOutcome.SCANNED, 2);
		count("b", GistOutcome.SKIPPED, 0);
		assertThat(progress()).isEqualTo(new Progress(null, 1, 1, 1, 0));
		assertThat(fileRows("a")).isEqualTo(1);

		PageUpdate update = this.listings.storePage(this.jobId, 1, 1,
				List.of(gist("a", "sha2", "one"), gist("b", "sha1", "two"), gist("c", "sha2", "one")));

		assertThat(update.toScan()).containsExactly(new GistRevision("a", 1), new GistRevision("c", 1));
		assertThat(update.reset()).isEqualTo(2);
		assertThat(update.updated()).as("b: description only").isEqualTo(1);
		assertThat(progress()).as("a's scan and match taken back, b's skip kept")
			.isEqualTo(new Progress(null, 0, 0, 1, 0));
		JobGist a = this.gists.find(this.jobId, "a").orElseThrow();
		assertThat(a.pending()).isTrue();
		assertThat(a.revision()).isEqualTo(1);
		assertThat(a.gist().files()).extracting(GistFile::rawUrl).containsExactly("https://raw/a/sha2/a.txt");
		assertThat(fileRows("a")).as("a's old file results deleted").isZero();
		assertThat(fileRows("b")).as("b's kept").isEqualTo(1);
		assertThat(this.gists.matchingGists(new JobKey("t", this.jobId), null, 10)).isEmpty();
		JobGist b = this.gists.find(this.jobId, "b").orElseThrow();
		assertThat(b.outcome()).contains(GistOutcome.SKIPPED);
		assertThat(b.revision()).isZero();
		assertThat(b.gist().description()).isEqualTo("two");
		assertThat(this.gists.find(this.jobId, "c").orElseThrow().revision()).as("pending, but maybe being scanned")
			.isEqualTo(1);
	}

	@Test
	void aScanOfTheOldRevisionRecordsNothingAndTheNewRevisionsScanRecords() {
		this.listings.storePage(this.jobId, 1, 1, List.of(gist("a", "sha1", "one")));
		this.listings.storePage(this.jobId, 1, 1, List.of(gist("a", "sha2", "one")));

		assertThat(this.gists.finish(this.jobId, "a", 0, GistOutcome.SCANNED, null, List.of()))
			.as("the scan that read sha1")
			.isFalse();
		assertThat(this.gists.find(this.jobId, "a").orElseThrow().pending()).isTrue();
		assertThat(this.gists.finish(this.jobId, "a", 1, GistOutcome.SCANNED, null, List.of())).isTrue();
		assertThat(this.gists.find(this.jobId, "a").orElseThrow().outcome()).contains(GistOutcome.SCANNED);
	}

	@Test
	void aPageDiffersFromThePreviousPassOnlyWhenItsDigestDoesOrThePassHasFewerPages() {
		assertThat(this.listings.recordPage(this.jobId, 1, 1, "d1", false)).as("pass 1: nothing to differ from")
			.isFalse();
		assertThat(this.listings.recordPage(this.jobId, 2, 1, "d2", true)).isFalse();
		assertThat(this.listings.recordPage(this.jobId, 1, 2, "d1", false)).as("same page in pass 2").isFalse();
		assertThat(this.listings.recordPage(this.jobId, 2, 2, "d2'", false)).as("page 2 changed").isTrue();
		assertThat(this.listings.recordPage(this.jobId, 2, 2, "d2'", false)).as("the same task redelivered").isTrue();
		assertThat(this.listings.recordPage(this.jobId, 3, 2, "d3", true)).as("a page no pass had").isTrue();
		assertThat(this.listings.recordPage(this.jobId, 1, 3, "d1", false)).isFalse();
		assertThat(this.listings.recordPage(this.jobId, 2, 3, "d2'", true)).as("pass 3 ends a page earlier").isTrue();
		assertThat(this.listings.recordPage(this.jobId, 2, 3, "d2'", true))
			.as("redelivered: the same answer, though page 3 is gone by now")
			.isTrue();
		assertThat(this.listings.recordPage(this.jobId, 1, 4, "d1", false)).isFalse();
		assertThat(this.listings.recordPage(this.jobId, 2, 4, "d2'", true)).as("pass 4 as pass 3").isFalse();
	}

	@Test
	void nothingIsStoredOnceTheListingIsClosedOrALaterPassBegan() {
		this.listings.recordPage(this.jobId, 1, 3, "d1", false);
		assertThat(this.listings.storePage(this.jobId, 1, 2, List.of(gist("a", "sha1", "one"))).open())
			.as("a stale chain of pass 2")
			.isFalse();
		assertThat(this.listings.storePage(this.jobId, 1, 3, List.of(gist("a", "sha1", "one"))).open()).isTrue();
		this.listings.storePage(this.jobId, 1, 3, List.of(gist("a", "sha1", "one")));
		this.jobs.completeListing(this.jobId);

		PageUpdate late = this.listings.storePage(this.jobId, 2, 3, List.of(gist("b", "sha1", "one")));

		assertThat(late.open()).as("the total is recorded").isFalse();
		assertThat(this.gists.find(this.jobId, "b")).isEmpty();
	}

	private void count(String gistId, GistOutcome outcome, int matches) {
		GistFile file = this.gists.find(this.jobId, gistId).orElseThrow().gist().files().getFirst();
		List<LineMatch> lines = (matches > 0) ? List.of(new LineMatch(1, "x", 0, 0, 1)) : List.of();
		assertThat(this.gists.finish(this.jobId, gistId, 0, outcome, null,
				List.of(new FileResult(file, null, matches, lines))))
			.isTrue();
		this.jobs.countGist(this.jobId, outcome, matches > 0);
	}

	private int fileRows(String gistId) {
		return this.jdbc.sql("SELECT count(*) FROM gist_files WHERE job_id = :jobId AND gist_id = :gistId")
			.param("jobId", this.jobId)
			.param("gistId", gistId)
			.query(Integer.class)
			.single();
	}

	private Progress progress() {
		return this.jobs.find(this.jobId).orElseThrow().progress();
	}

	private static GistRef gist(String id, String sha, String description) {
		return new GistRef(id, "https://gist.github.com/o/" + id, description, CREATED, false,
				List.of(new GistFile(id + ".txt", "text/plain", null,
						"https://raw/" + id + "/" + sha + "/" + id + ".txt", 10)));
	}

}
