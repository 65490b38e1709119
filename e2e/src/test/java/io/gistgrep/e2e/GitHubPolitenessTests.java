package io.gistgrep.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.sim.SimCounters;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3's acceptance: what the worker asks of GitHub, measured by the simulator's own
 * counters.
 */
class GitHubPolitenessTests {

	private final Stack stack = Stack.get();

	private final SimCounters counters = this.stack.sim.counters();

	/**
	 * The simulator's counters are the whole stack's: no job of an earlier test class may
	 * still be listing or scanning while this one counts.
	 */
	@BeforeEach
	void awaitAQuietStack() {
		JdbcClient jdbc = this.stack.worker.getBean(JdbcClient.class);
		long[] last = { -1 };
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			long active = jdbc.sql("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")
				.query(Long.class)
				.single();
			long requests = this.counters.apiRequests() + this.counters.rawRequests();
			boolean quiet = active == 0 && requests == last[0];
			last[0] = requests;
			return quiet;
		});
	}

	@AfterEach
	void restoreTheSimulator() {
		this.stack.sim.setFaults(SimFaults.none());
		// A full window again for every key, whatever a test left.
		this.stack.sim.setQuota(5000, Duration.ofHours(1));
		assertThat(this.counters.rawRequestsWithAuthorization()).as("tokens never go to raw hosts").isZero();
	}

	@Test
	void aUserWith250GistsIsListedInThreeCountedCallsAndSearchedAgainForFree() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate("polite-" + suffix(), 250, 31));
		int files = user.gists().stream().mapToInt((g) -> g.files().size()).sum();
		String pattern = "AKIA[0-9A-Z]{16}|TODO";
		Snapshot before = snapshot();

		JsonNode first = finished(submit(user.login(), pattern));

		Snapshot afterFirst = snapshot();
		assertThat(first.path("status").asString()).isEqualTo("succeeded");
		assertThat(first.path("progress").path("gists_failed").asInt()).isZero();
		// Two listing passes: the second, which confirms that nothing changed while the
		// first ran, asks each page again conditionally and is answered 304 for free.
		assertThat(afterFirst.lists - before.lists).as("listing calls: 3 pages, twice").isEqualTo(6);
		assertThat(afterFirst.notModified - before.notModified).as("the second pass answered 304").isEqualTo(3);
		assertThat(afterFirst.api - before.api).as("API calls in all").isEqualTo(6);
		assertThat(before.remaining - afterFirst.remaining).as("quota spent: the first pass only").isEqualTo(3);
		assertThat(afterFirst.gists - before.gists).as("GET /gists/{id} calls").isZero();
		assertThat(afterFirst.raw - before.raw).as("raw fetches").isPositive().isLessThanOrEqualTo(files);
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile(pattern));
		assertThat(matchingIds(first)).isEqualTo(expected);

		JsonNode again = finished(submit(user.login(), pattern));

		Snapshot afterAgain = snapshot();
		assertThat(again.path("status").asString()).isEqualTo("succeeded");
		assertThat(afterAgain.lists - afterFirst.lists).as("listing calls of the repeat: 3 pages, twice").isEqualTo(6);
		assertThat(afterAgain.notModified - afterFirst.notModified).as("answered 304").isEqualTo(6);
		assertThat(afterAgain.raw - afterFirst.raw).as("raw fetches of the repeat").isZero();
		assertThat(afterAgain.remaining).as("a 304 costs no quota").isEqualTo(afterFirst.remaining);
		assertThat(again.path("progress")).isEqualTo(first.path("progress"));
		assertThat(matchingIds(again)).isEqualTo(expected);

		String other = "password|hunter2";
		JsonNode otherPattern = finished(submit(user.login(), other));

		assertThat(otherPattern.path("status").asString()).isEqualTo("succeeded");
		assertThat(snapshot().raw - afterAgain.raw).as("another pattern reads the cached content").isZero();
		assertThat(matchingIds(otherPattern)).isEqualTo(Stack.expectedMatches(user, Pattern.compile(other)));
	}

	@Test
	void aJobSubmittedWhileTheQuotaIsSpentWaitsForTheResetWithoutHammeringGitHub() {
		ConfigurableApplicationContext second = this.stack.startWorker("--spring.application.name=e2e-worker-2");
		try {
			List<SimUser> users = List.of(
					this.stack.sim.addUser(SyntheticUsers.generate("parked-a-" + suffix(), 20, 41)),
					this.stack.sim.addUser(SyntheticUsers.generate("parked-b-" + suffix(), 20, 43)));
			Snapshot before = snapshot();
			long refusedBefore = this.counters.rateLimited();
			Instant reset = Instant.now().plusSeconds(10);
			this.stack.sim.setQuota(0, Duration.ofSeconds(10));

			List<String> ids = users.stream().map((user) -> submit(user.login(), "TODO")).toList();

			await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(reset.minusMillis(300)));
			long callsWhileSpent = snapshot().api - before.api;
			for (int i = 0; i < ids.size(); i++) {
				JsonNode job = finished(ids.get(i));
				assertThat(job.path("status").asString()).isEqualTo("succeeded");
				assertThat(Instant.parse(job.path("finished_at").asString())).isAfter(reset);
				assertThat(job.path("progress").path("gists_failed").asInt()).isZero();
				assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(20);
				assertThat(matchingIds(job)).isEqualTo(Stack.expectedMatches(users.get(i), Pattern.compile("TODO")));
			}
			assertThat(callsWhileSpent).as("API calls while the quota was spent").isBetween(1L, 3L);
			assertThat(this.counters.rateLimited() - refusedBefore).as("requests refused for the spent quota")
				.isBetween(1L, 3L);
			double parked = parked(this.stack.worker) + parked(second);
			assertThat(parked).as("tasks parked rather than failed").isPositive();
		}
		finally {
			second.close();
		}
	}

	@Test
	void withThirtyPercentOfRequestsFailingTheResultsAreExactAndNoGistFails() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate("flaky-" + suffix(), 150, 47));
		String pattern = "AKIA[0-9A-Z]{16}|TODO|@example\\.org";
		long faultsBefore = this.counters.injectedFaults();
		this.stack.sim.setFaults(SimFaults.none()
			.withApiErrorRate(0.3)
			.withRawErrorRate(0.3)
			.withErrorStatus(502)
			.withSeed(System.nanoTime()));

		JsonNode job = finished(submit(user.login(), pattern), Duration.ofSeconds(120));

		assertThat(this.counters.injectedFaults() - faultsBefore).as("502s injected").isPositive();
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(150);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		assertThat(progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()).isEqualTo(150);
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile(pattern));
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(matchingIds(job)).isEqualTo(expected);
	}

	@Test
	void aGistWithA15MbFileAndOneWith350FilesAreScannedCompletelyFromClones() {
		String login = "large-" + suffix();
		Instant t = Instant.parse("2024-06-01T10:00:00Z");
		StringBuilder text = new StringBuilder(15 * 1024 * 1024 + 100);
		String line = "x".repeat(99) + "\n";
		while (text.length() < 15 * 1024 * 1024) {
			text.append(line);
		}
		text.append("tail NEEDLE_15").append('\n');
		byte[] huge = text.toString().getBytes(StandardCharsets.UTF_8);
		SimFile[] many = new SimFile[350];
		for (int i = 0; i < many.length; i++) {
			many[i] = SimFile.text("f" + i + ".txt", "file " + i + ((i == 349) ? " NEEDLE_349" : "") + "\n");
		}
		String hugeId = "cccc" + suffix().substring(0, 6) + "0000000001";
		String manyId = "cccc" + suffix().substring(0, 6) + "0000000002";
		SimUser user = this.stack.sim.addUser(SimUser.of(login, 7070,
				SimGist.of(hugeId, "huge", t, SimFile.of("huge.log", huge), SimFile.text("small.txt", "small\n")),
				SimGist.of(manyId, "many", t.plusSeconds(1), many)));
		long fetchesBefore = this.counters.gitFetches();
		long raw403Before = this.counters.requests("raw", 403);

		JsonNode job = finished(submit(user.login(), "NEEDLE_[0-9]+"));

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_scanned").asInt()).as("both searched completely").isEqualTo(2);
		assertThat(progress.path("gists_skipped").asInt()).isZero();
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(2);
		assertThat(this.counters.gitFetches() - fetchesBefore).as("one clone per gist").isEqualTo(2);
		assertThat(this.counters.gitRequestsWithAuthorization()).as("tokens never go to git hosts").isZero();
		assertThat(this.counters.requests("raw", 403) - raw403Before).as("raw fetches over 10 MB").isZero();
		List<JsonNode> matches = allMatches(job.path("id").asString());
		JsonNode hugeFile = file(matches, hugeId, "huge.log");
		assertThat(hugeFile.path("size").asLong()).isEqualTo(huge.length);
		assertThat(hugeFile.path("matches").get(0).path("text").asString()).isEqualTo("tail NEEDLE_15");
		assertThat(hugeFile.path("matches").get(0).path("line").asInt())
			.isEqualTo(huge.length / line.length() + ((huge.length % line.length() == 0) ? 0 : 1));
		JsonNode last = file(matches, manyId, "f349.txt");
		assertThat(last.path("matches").get(0).path("text").asString()).isEqualTo("file 349 NEEDLE_349");
		assertThat(last.path("download_url").asString()).contains("/" + manyId + "/raw/").endsWith("/f349.txt");
		JdbcClient jdbc = this.stack.worker.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT count(*) FROM gist_files WHERE job_id = :id AND gist_id = :gist")
			.param("id", UUID.fromString(job.path("id").asString()))
			.param("gist", manyId)
			.query(Long.class)
			.single()).as("every file of the truncated gist").isEqualTo(350);

		JsonNode again = finished(submit(user.login(), "NEEDLE_[0-9]+"));

		assertThat(again.path("progress")).isEqualTo(progress);
		assertThat(this.counters.gitFetches() - fetchesBefore).as("a repeat search clones nothing").isEqualTo(2);
	}

	private static double parked(ConfigurableApplicationContext worker) {
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		return meters.find("gistgrep.tasks.parked").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private record Snapshot(long api, long lists, long gists, long raw, long notModified, int remaining) {

	}

	/**
	 * The simulator's counters, API calls without {@code GET /rate_limit} (which this
	 * test asks, for the quota, and which costs none).
	 */
	private Snapshot snapshot() {
		long api = this.counters.apiRequests() - this.counters.requests("rate_limit", 200);
		Snapshot counted = new Snapshot(api, this.counters.listRequests(), this.counters.gistRequests(),
				this.counters.rawRequests(), this.counters.notModified(), 0);
		int remaining = rateLimit().json().path("resources").path("core").path("remaining").asInt();
		return new Snapshot(counted.api(), counted.lists(), counted.gists(), counted.raw(), counted.notModified(),
				remaining);
	}

	/**
	 * {@code GET /rate_limit} with the worker's token: free, and not counted as a
	 * listing.
	 */
	private Stack.Response rateLimit() {
		try {
			HttpResponse<String> response = this.stack.http
				.send(HttpRequest.newBuilder(URI.create(this.stack.sim.apiUrl() + "/rate_limit"))
					.header("Authorization", "Bearer " + Stack.TOKEN)
					.build(), HttpResponse.BodyHandlers.ofString());
			return new Stack.Response(response.statusCode(), response.headers().map(), response.body(),
					this.stack.json);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String submit(String username, String pattern) {
		Stack.Response response = this.stack.post("/jobs",
				this.stack.json.writeValueAsString(Map.of("username", username, "pattern", pattern)));
		assertThat(response.status()).isEqualTo(202);
		return response.json().path("id").asString();
	}

	private JsonNode finished(String id) {
		return finished(id, Duration.ofSeconds(60));
	}

	private JsonNode finished(String id, Duration atMost) {
		return await().atMost(atMost)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.stack.get("/jobs/" + id).json(),
					(job) -> Set.of("succeeded", "failed", "cancelled").contains(job.path("status").asString()));
	}

	private Set<String> matchingIds(JsonNode job) {
		Set<String> ids = new HashSet<>();
		allMatches(job.path("id").asString()).forEach((m) -> ids.add(m.path("gist_id").asString()));
		return ids;
	}

	private List<JsonNode> allMatches(String id) {
		List<JsonNode> all = new ArrayList<>();
		String cursor = null;
		do {
			String path = "/jobs/" + id + "/matches?limit=1000" + ((cursor != null) ? "&cursor=" + cursor : "");
			JsonNode body = this.stack.get(path).json();
			body.path("data").forEach(all::add);
			cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asString();
		}
		while (cursor != null);
		return all;
	}

	private static JsonNode file(List<JsonNode> matches, String gistId, String filename) {
		for (JsonNode match : matches) {
			if (match.path("gist_id").asString().equals(gistId)) {
				for (JsonNode file : match.path("files")) {
					if (file.path("filename").asString().equals(filename)) {
						return file;
					}
				}
			}
		}
		throw new AssertionError("No match in " + gistId + "/" + filename);
	}

	private static String suffix() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
	}

}
