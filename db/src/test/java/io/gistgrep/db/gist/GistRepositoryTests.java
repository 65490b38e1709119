package io.gistgrep.db.gist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.gistgrep.scanner.LineMatch;
import io.gistgrep.common.job.Job;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest
class GistRepositoryTests {

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TransactionTemplate transaction;

	UUID jobId;

	JobKey key;

	@BeforeEach
	void newJob() {
		this.jobId = UUID.randomUUID();
		this.key = new JobKey("t", this.jobId);
		this.jobs.insert(Job.queued(this.jobId, "t", "octocat", "x", null, Instant.now()));
	}

	@Test
	void aListedGistReadsBackWithItsFilesAndPending() {
		GistRef ref = new GistRef("abc", "https://gist.github.com/octocat/abc", "notes über",
				Instant.parse("2024-02-03T04:05:06Z"), true,
				List.of(new GistFile("my file ü.txt", "text/plain", null, "https://raw/x/my%20file.txt", 42)),
				"https://gist.github.com/abc.git");
		assertThat(this.gists.insertPage(this.jobId, 1, List.of(ref))).isEqualTo(1);
		assertThat(this.gists.insertPage(this.jobId, 1, List.of(ref))).as("listing the same gist twice").isZero();
		JobGist found = this.gists.find(this.jobId, "abc").orElseThrow();
		assertThat(found.gist()).isEqualTo(ref);
		assertThat(found.pending()).isTrue();
		assertThat(this.gists.pendingGistIds(this.jobId)).containsExactly("abc");
	}

	@Test
	void matchesArePagedByGistIdWithOnlyMatchingFiles() {
		List<GistRef> refs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			refs.add(new GistRef("g" + i, "https://gist.github.com/o/g" + i, null, null, false,
					List.of(new GistFile("a.txt", null, null, "https://raw/g" + i + "/a.txt", 10),
							new GistFile("b.txt", null, null, "https://raw/g" + i + "/b.txt", 10))));
		}
		this.gists.insertPage(this.jobId, 1, refs);
		for (int i = 0; i < 5; i++) {
			GistRef ref = refs.get(i);
			boolean matching = i != 2;
			List<FileResult> files = List.of(new FileResult(ref.files().get(0), null, matching ? 2 : 0, matching
					? List.of(new LineMatch(3, "x TODO", 0, 2, 6), new LineMatch(9, "TODO", 0, 0, 4)) : List.of()),
					new FileResult(ref.files().get(1), "binary", 0, List.of()));
			this.gists.finish(this.jobId, ref.id(), GistOutcome.SKIPPED, null, files);
		}
		assertThat(this.gists.matchingGists(new JobKey("u", this.jobId), null, 10)).as("another tenant's view")
			.isEmpty();
		assertThat(this.gists.matchingHtmlUrls(new JobKey("u", this.jobId))).as("another tenant's view").isEmpty();
		List<MatchingGist> first = this.gists.matchingGists(this.key, null, 2);
		assertThat(first).extracting(MatchingGist::gistId).containsExactly("g0", "g1");
		assertThat(first.get(0).files()).singleElement().satisfies((f) -> {
			assertThat(f.filename()).isEqualTo("a.txt");
			assertThat(f.matchCount()).isEqualTo(2);
			assertThat(f.matches()).containsExactly(new LineMatch(3, "x TODO", 0, 2, 6),
					new LineMatch(9, "TODO", 0, 0, 4));
		});
		assertThat(this.gists.matchingGists(this.key, "g1", 2)).extracting(MatchingGist::gistId)
			.containsExactly("g3", "g4");
		assertThat(this.gists.matchingGists(this.key, "g4", 2)).isEmpty();
		assertThat(this.gists.matchingHtmlUrls(this.key)).containsExactly("https://gist.github.com/o/g0",
				"https://gist.github.com/o/g1", "https://gist.github.com/o/g3", "https://gist.github.com/o/g4");
	}

	@Test
	void aGistThatMatchedAfterThePageWasReadIsLeftForALaterReadInsteadOfFailingIt() {
		List<GistRef> refs = oneFileGists("g", 3);
		this.gists.insertPage(this.jobId, 1, refs);
		for (GistRef ref : refs) {
			this.gists.finish(this.jobId, ref.id(), GistOutcome.SCANNED, null, List
				.of(new FileResult(ref.files().getFirst(), null, 1, List.of(new LineMatch(1, "TODO", 0, 0, 4)))));
		}
		// What the page's first statement saw when g1's scan committed between it and the
		// next ones: g1 not (yet) matching, its files already there.
		this.jdbc.sql("UPDATE job_gists SET matched = false WHERE job_id = :job AND gist_id = 'g1'")
			.param("job", this.jobId)
			.update();

		List<MatchingGist> page = this.gists.matchingGists(this.key, null, 10);

		assertThat(page).extracting(MatchingGist::gistId).containsExactly("g0", "g2");
		assertThat(page).allSatisfy((gist) -> assertThat(gist.files()).singleElement()
			.satisfies((file) -> assertThat(file.rawUrl()).isEqualTo("https://raw/" + gist.gistId() + "/a.txt")));
	}

	@Test
	void aBatchOfFinishesRecordsEachPendingGistOnceAtItsRevision() {
		List<GistRef> refs = oneFileGists("b", 4);
		this.gists.insertPage(this.jobId, 1, refs);
		this.gists.finish(this.jobId, "b0", GistOutcome.SCANNED, null, List.of());
		List<GistFinish> finishes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			GistRef ref = refs.get(i);
			finishes.add(new GistFinish(this.jobId, ref.id(), (i == 3) ? 1 : 0, GistOutcome.SCANNED, null, List
				.of(new FileResult(ref.files().getFirst(), null, 1, List.of(new LineMatch(1, "TODO", 0, 0, 4))))));
		}
		finishes.add(finishes.get(1));

		List<GistFinish> recorded = this.gists.finishAll(finishes);

		assertThat(recorded).as("b0 was counted already, b3's revision is stale, b1 is named twice")
			.extracting(GistFinish::gistId)
			.containsExactly("b1", "b2");
		assertThat(this.gists.pendingGistIds(this.jobId)).containsExactly("b3");
		assertThat(this.gists.matchingGists(this.key, null, 10)).extracting(MatchingGist::gistId)
			.containsExactly("b1", "b2");
		assertThat(this.gists.findAll(List.of(new GistKey(this.jobId, "b2"), new GistKey(this.jobId, "b3"),
				new GistKey(this.jobId, "b3"), new GistKey(this.jobId, "nope"))))
			.hasSize(2)
			.hasEntrySatisfying(new GistKey(this.jobId, "b3"), (gist) -> assertThat(gist.pending()).isTrue())
			.hasEntrySatisfying(new GistKey(this.jobId, "b2"), (gist) -> assertThat(gist.pending()).isFalse());
	}

	@Test
	void aBatchLocksItsGistsInIdOrderSoThatAListingPageLockingThemInThatOrderCannotDeadlockWithIt() throws Exception {
		List<GistRef> refs = new ArrayList<>();
		for (String id : List.of("d1", "d2")) {
			refs.add(new GistRef(id, "https://gist.github.com/o/" + id, null, null, false,
					List.of(new GistFile("a.txt", null, null, "https://raw/" + id + "/a.txt", 10))));
		}
		this.gists.insertPage(this.jobId, 1, refs);
		// The batch names d2 first: its update would take d2's row first.
		List<GistFinish> batch = List.of(finish(refs.get(1)), finish(refs.get(0)));
		String lock = "SELECT 1 FROM job_gists WHERE job_id = ? AND gist_id = ? FOR UPDATE";
		// The page's connection is closed first, so that a failing test never waits on
		// its
		// locks.
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
				Connection page = this.dataSource.getConnection()) {
			// A listing page of the job, locking its gists in id order: d1 first.
			page.setAutoCommit(false);
			int pagePid = pid(page);
			query(page, lock, "d1");
			Future<List<GistFinish>> recorded = executor
				.submit(() -> this.transaction.execute((status) -> this.gists.finishAll(batch)));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.jdbc
					.sql("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY (pg_blocking_pids(pid))")
					.param("pid", pagePid)
					.query(Integer.class)
					.single() > 0);

			// The batch waits for d1 holding nothing of the page's, so the page takes d2
			// at once.
			query(page, lock + " NOWAIT", "d2");
			page.rollback();

			assertThat(recorded.get(10, TimeUnit.SECONDS)).extracting(GistFinish::gistId).containsExactly("d2", "d1");
		}
		assertThat(this.gists.pendingGistIds(this.jobId)).isEmpty();
	}

	private GistFinish finish(GistRef ref) {
		return new GistFinish(this.jobId, ref.id(), 0, GistOutcome.SCANNED, null,
				List.of(new FileResult(ref.files().getFirst(), null, 0, List.of())));
	}

	private static int pid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			result.next();
			return result.getInt(1);
		}
	}

	private void query(Connection connection, String sql, String gistId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setObject(1, this.jobId);
			statement.setString(2, gistId);
			statement.executeQuery().close();
		}
	}

	@Test
	void gistsAreReleasedAWindowAtATimeAndACountedGistMakesRoomForOneMore() {
		List<GistRef> refs = oneFileGists("w", 5);
		this.gists.insertPage(this.jobId, 1, refs);

		assertThat(this.gists.release(this.jobId, 2)).extracting(ListingRepository.GistRevision::gistId)
			.containsExactly("w0", "w1");
		assertThat(this.gists.release(this.jobId, 2)).as("the window is full").isEmpty();
		this.gists.finish(this.jobId, "w0", GistOutcome.SCANNED, null, List.of());
		assertThat(this.gists.release(this.jobId, 2)).extracting(ListingRepository.GistRevision::gistId)
			.containsExactly("w2");
		assertThat(this.gists.release(this.jobId, 0)).as("no window")
			.extracting(ListingRepository.GistRevision::gistId)
			.containsExactly("w3", "w4");
	}

	@Test
	void aJobsFirstGistsAreReleasedUpToTheStartWindowWhichNarrowsToTheWindowAsItsGistsAreCounted() {
		List<GistRef> refs = oneFileGists("s", 8);
		this.gists.insertPage(this.jobId, 1, refs);

		assertThat(this.gists.release(this.jobId, 2, 5)).extracting(ListingRepository.GistRevision::gistId)
			.as("none counted: the start window")
			.containsExactly("s0", "s1", "s2", "s3", "s4");
		for (String counted : List.of("s0", "s1", "s2")) {
			this.gists.finish(this.jobId, counted, GistOutcome.SCANNED, null, List.of());
			this.jobs.countGists(this.jobId, 1, 0, 0, 0);
		}
		assertThat(this.gists.release(this.jobId, 2, 5))
			.as("3 counted: max(2, 5 - 3) = 2 in flight, which s3 and s4 are")
			.isEmpty();
		this.gists.finish(this.jobId, "s3", GistOutcome.SCANNED, null, List.of());
		this.jobs.countGists(this.jobId, 1, 0, 0, 0);
		assertThat(this.gists.release(this.jobId, 2, 5)).extracting(ListingRepository.GistRevision::gistId)
			.as("4 counted: the window, 2, with s4 in flight")
			.containsExactly("s5");
	}

	/** {@code count} gists {@code <prefix>0}… of one 10-byte file each. */
	private static List<GistRef> oneFileGists(String prefix, int count) {
		List<GistRef> refs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			refs.add(new GistRef(prefix + i, "https://gist.github.com/o/" + prefix + i, null, null, false,
					List.of(new GistFile("a.txt", null, null, "https://raw/" + prefix + i + "/a.txt", 10))));
		}
		return refs;
	}

}
