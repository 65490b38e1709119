package io.gistgrep.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

import io.gistgrep.sim.Fault;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.Target;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance case of listing consistency: while a 2,000-gist user is listed (20 pages
 * of 100), 30 gists are added, 30 deleted from pages already read and 10 edited. The job
 * must miss none of the gists that existed at its start and still exist at its end, and
 * scan each at its latest revision. Every third gist holds {@code MARKER}; edits add it
 * to gists that had none and take it from gists that had it, so a stale revision or a
 * missed gist changes the matches. On a stack of its own ({@link OwnStack}), with
 * github-sim's actions between pages.
 */
class ListingChangesTests {

	private static final String KEY = "ggk_listing" + "0".repeat(40);

	private static final Pattern MARKER = Pattern.compile("MARKER");

	private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

	private static final String LOGIN = "busy-user";

	/** The original indices of the gists edited during the listing. */
	private static final Set<Integer> EDITED = Set.of(150, 151, 250, 251, 600, 601, 700, 1450, 1100, 1850);

	private static OwnStack stack;

	private static GitHubSim sim;

	private static ConfigurableApplicationContext worker;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		stack = OwnStack.start("listing", sim, Map.of("listing", KEY));
		worker = stack.worker;
		calls = stack.calls("listing");
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void gistsAddedDeletedAndEditedDuringTheListingAreNeitherMissedNorScannedAtAnOldRevision() {
		List<SimGist> gists = gists("o", 2000, (i) -> i % 3 == 0);
		SimUser user = sim.addUser(new SimUser(LOGIN, 4242, gists));
		Set<String> atStart = ids(user.gists());
		Set<String> deleted = new HashSet<>();
		List<String> editedOnReadPages = new ArrayList<>();
		// Original index i is at position i (+ gists added, - gists deleted before it).
		// After page 5: 10 deleted from pages 2-4, 4 edited on pages 2-4, 10 added.
		changesAfter(5, 100, 400, deleted, editedOnReadPages, List.of(150, 151, 250, 251), List.of());
		// After page 10: 10 deleted from pages 6-9, 3 edited on read pages, 1 on page 15.
		changesAfter(10, 550, 900, deleted, editedOnReadPages, List.of(600, 601, 700), List.of(1450));
		// After page 15: 10 deleted from pages 11-14, 1 edited on a read page, 1 on page
		// 19.
		changesAfter(15, 1050, 1400, deleted, editedOnReadPages, List.of(1100), List.of(1850));

		long rescannedBefore = meter("gistgrep.listing.gists-rescanned");
		long notModifiedBefore = sim.counters().notModified();
		JsonNode job = finished(calls.submit(LOGIN, MARKER.pattern()));

		SimUser atEnd = sim.user(LOGIN).orElseThrow();
		assertThat(deleted).hasSize(30);
		assertThat(atEnd.gists()).hasSize(2000);
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).as("2,000 at start and 30 added, each counted once")
			.isEqualTo(2030);
		assertThat(progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt())
			.isEqualTo(2030);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		assertThat(progress.path("gists_skipped").asInt()).as("at most the deleted gists, whose raw files are gone")
			.isLessThanOrEqualTo(30);

		Set<String> expected = Stack.expectedMatches(atEnd, MARKER);
		Map<String, String> matched = matchedRawUrls(job.path("id").asString());
		assertThat(matched.keySet())
			.as("the gists that hold MARKER at the end (the deleted ones never held it): none missed, none stale")
			.isEqualTo(expected);
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		Set<String> kept = new HashSet<>(atStart);
		kept.removeAll(deleted);
		assertThat(ids(atEnd.gists())).containsAll(kept);
		atEnd.gists()
			.stream()
			.filter((gist) -> matched.containsKey(gist.id()))
			.forEach(
					(gist) -> assertThat(matched.get(gist.id())).as("gist %s scanned at its latest revision", gist.id())
						.endsWith(latestRawPath(gist)));
		assertThat(meter("gistgrep.listing.gists-rescanned") - rescannedBefore)
			.as("each gist edited on a page already read is scanned again, once")
			.isEqualTo(editedOnReadPages.size());
		assertThat(sim.counters().notModified() - notModifiedBefore)
			.as("the last pass, which saw no change, was answered 304 throughout")
			.isGreaterThanOrEqualTo(20);
	}

	@Test
	void aUserWhoseGistsChangeInEveryPassIsListedAtMostMaxPassesTimesAndTheJobStillEnds() {
		String login = "restless-user";
		List<SimGist> gists = gists("r", 150, (i) -> true);
		sim.addUser(new SimUser(login, 4343, gists));
		// After the first page of every pass, a new gist at the top: each pass changes.
		sim.onListingPage(login, 1, new Runnable() {

			private int added;

			@Override
			public void run() {
				sim.addGist(login, gist("rn", ++this.added, Instant.now().plusSeconds(this.added), "MARKER"));
				sim.onListingPage(login, 1, this);
			}

		});
		long listsBefore = sim.counters().listRequests();
		long maxPassesBefore = meter("gistgrep.listing.max-passes-reached");

		JsonNode job = finished(calls.submit(login, MARKER.pattern()));

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(sim.counters().listRequests() - listsBefore).as("3 passes (the default most) of 2 pages")
			.isEqualTo(6);
		assertThat(meter("gistgrep.listing.max-passes-reached") - maxPassesBefore).isEqualTo(1);
		assertThat(job.path("progress").path("gists_total").asInt())
			.as("the 150 there at the start, and the gists added after passes 1 and 2; not the one after pass 3")
			.isEqualTo(152);
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(152);
	}

	@Test
	void aPageThatFailsAfterItsTaskListedTheFirstIsRetriedAsATaskOfItsOwnAndTheFirstIsNotListedAgain() {
		String login = "flaky-listing-user";
		List<SimGist> gists = gists("f", 250, (i) -> i % 2 == 0);
		sim.addUser(new SimUser(login, 4444, gists));
		// The start task lists page 1 and goes on to page 2 itself, whose first request
		// GitHub answers 500.
		sim.onListingPage(login, 1, () -> sim.failNext(Target.API, Fault.STATUS_500, 1));
		long listsBefore = sim.counters().listRequests();
		long handedOffBefore = meter("gistgrep.listing.pages-handed-off");

		JsonNode job = finished(calls.submit(login, MARKER.pattern()));

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(250);
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(125);
		assertThat(meter("gistgrep.listing.pages-handed-off") - handedOffBefore).isEqualTo(1);
		assertThat(sim.counters().listRequests() - listsBefore)
			.as("page 1, page 2 refused, page 2 again as a task of its own, page 3, then the second pass's 3 pages")
			.isEqualTo(7);
	}

	@Test
	void aListingTaskWhoseDeliveryIsLostAfterItListedPagesItselfIsDeliveredAgainAndTheJobStillEndsExact() {
		String login = "interrupted-listing-user";
		List<SimGist> gists = gists("i", 250, (i) -> i % 5 == 0);
		sim.addUser(new SimUser(login, 4545, gists));
		// While the start task waits for page 2, which it lists itself after page 1, the
		// worker's broker connection drops: the task goes on to list pages 2 and 3 and
		// commits them, but cannot be acknowledged, so the broker delivers it again, as
		// after a crash, and it lists its first page again.
		sim.onListingPage(login, 2, () -> worker.getBean(CachingConnectionFactory.class).resetConnection());
		long listsBefore = sim.counters().listRequests();
		long handedOffBefore = meter("gistgrep.listing.pages-handed-off");
		long droppedBefore = meter("gistgrep.listing.complete-already") + meter("gistgrep.listing.job-finished");

		// The reset throws on the connection factory's own threads too (a channel going
		// back to its cache waits for confirms on the closed connection): expected here,
		// so Awaitility must not fail the wait on those.
		JsonNode job = finished(calls.submit(login, MARKER.pattern()), await().dontCatchUncaughtExceptions());

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(250);
		assertThat(progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt())
			.as("each gist counted once")
			.isEqualTo(250);
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(50);
		assertThat(matchedRawUrls(job.path("id").asString())).hasSize(50);
		assertThat(sim.counters().listRequests() - listsBefore).isGreaterThanOrEqualTo(6);
		assertThat(meter("gistgrep.listing.pages-handed-off") - handedOffBefore)
			.as("pages 2 and 3 were listed by the start task itself, not handed off after a failure")
			.isZero();
		// The redelivered start task finds the job ended, its listing complete or its
		// pass
		// closed (or lists pass 1 again, whose second chain then finds so): a page is
		// dropped, whichever the broker's order.
		await().dontCatchUncaughtExceptions()
			.atMost(Duration.ofSeconds(30))
			.until(() -> meter("gistgrep.listing.complete-already") + meter("gistgrep.listing.job-finished")
					- droppedBefore >= 1);
	}

	private static void changesAfter(int page, int deleteFrom, int deleteTo, Set<String> deleted,
			List<String> editedOnReadPages, List<Integer> editRead, List<Integer> editUnread) {
		sim.onListingPage(LOGIN, page, () -> {
			int step = (deleteTo - deleteFrom) / 10;
			for (int n = 0, i = deleteFrom; n < 10; n++, i += step) {
				// Gists that never held MARKER and are not edited: none of them may
				// match.
				int index = i;
				while (index % 3 == 0 || EDITED.contains(index)) {
					index++;
				}
				sim.deleteGist(LOGIN, id("o", index));
				deleted.add(id("o", index));
			}
			for (int i = 0; i < 10; i++) {
				sim.addGist(LOGIN,
						gist("a" + page + "x", i, Instant.now().plusSeconds(i), (i % 2 == 0) ? "MARKER" : "none"));
			}
			for (int index : editRead) {
				edit(index);
				editedOnReadPages.add(id("o", index));
			}
			editUnread.forEach(ListingChangesTests::edit);
		});
	}

	/** Takes MARKER out of a gist that held it, puts it in one that did not. */
	private static void edit(int index) {
		String content = (index % 3 == 0) ? "edited, no more marker" : "edited: MARKER";
		sim.editGist(LOGIN, id("o", index), List.of(SimFile.text(id("o", index) + ".txt", content)));
	}

	/**
	 * {@code count} gists {@code <prefix>00000}…, newest first, each holding
	 * {@code MARKER} when {@code marked} says so and {@code plain} otherwise.
	 */
	private static List<SimGist> gists(String prefix, int count, IntPredicate marked) {
		List<SimGist> gists = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			gists.add(gist(prefix, i, START.minusSeconds(i), marked.test(i) ? "MARKER" : "plain"));
		}
		return gists;
	}

	private static SimGist gist(String prefix, int index, Instant created, String content) {
		return SimGist.of(id(prefix, index), null, created, SimFile.text(id(prefix, index) + ".txt", content));
	}

	private static String id(String prefix, int index) {
		return prefix + String.format("%05d", index);
	}

	private static Set<String> ids(List<SimGist> gists) {
		Set<String> ids = new HashSet<>();
		gists.forEach((gist) -> ids.add(gist.id()));
		return ids;
	}

	/** The end of the gist's file's raw URL, which holds the file's blob SHA. */
	private static String latestRawPath(SimGist gist) {
		SimFile file = gist.files().getFirst();
		return "/" + LOGIN + "/" + gist.id() + "/raw/" + file.blobSha() + "/" + file.filename();
	}

	/** Every matching gist of the job with its file's download URL, page after page. */
	private static Map<String, String> matchedRawUrls(String jobId) {
		Map<String, String> matched = new HashMap<>();
		String cursor = null;
		do {
			JsonNode page = calls
				.json("/jobs/" + jobId + "/matches?limit=1000" + ((cursor != null) ? "&cursor=" + cursor : ""));
			page.path("data")
				.forEach((gist) -> matched.put(gist.path("gist_id").asString(),
						gist.path("files").path(0).path("download_url").asString()));
			cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
		}
		while (cursor != null);
		return matched;
	}

	private static long meter(String name) {
		return (long) worker.getBean(MeterRegistry.class).counter(name).count();
	}

	private static JsonNode finished(String id) {
		return finished(id, await());
	}

	private static JsonNode finished(String id, ConditionFactory wait) {
		wait.atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
			String status = calls.json("/jobs/" + id).path("status").asString();
			return status.equals("succeeded") || status.equals("failed");
		});
		return calls.json("/jobs/" + id);
	}

}
