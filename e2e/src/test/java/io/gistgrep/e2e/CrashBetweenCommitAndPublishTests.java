package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;

import java.util.HashSet;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.common.task.Queues;
import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that dies between committing a listing page and publishing what must follow it
 * loses nothing: the messages wait in the outbox, and the next worker's relay sends them.
 * The crash is injected at exactly that point: the first worker (and the api) run with
 * the test-only {@code gistgrep.outbox.test-only-hold}, so their relays never publish the
 * held routing keys, as if the process had died right after the commit; then that worker
 * is closed and a fresh one, without the hold, takes over.
 * <p>
 * These tests run on a database and virtual host of their own
 * ({@link TestServices#isolated}), so that no other test class's relay or consumer in
 * this JVM touches the held rows.
 */
class CrashBetweenCommitAndPublishTests {

	private static final String PATTERN = "AKIA[0-9A-Z]{16}|TODO";

	private static final String HELD = Queues.SCAN_GIST + "," + Queues.LIST_PAGE;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Map<String, String> services;

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		services = TestServices.get().isolated("crash");
		sim = GitHubSim.start(SimOptions.defaults());
		// The api never writes scans or listing pages, but its relay would send the held
		// rows of the crashed worker: it holds them too.
		api = new SpringApplicationBuilder(ApiApplication.class)
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=crash-api", "--gistgrep.outbox.poll-interval=200ms",
					"--gistgrep.outbox.test-only-hold=" + HELD, Stack.BOOTSTRAP_API_KEYS));
		calls = new ApiCalls("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort(),
				Stack.API_KEY);
	}

	@AfterAll
	static void stop() {
		if (api != null) {
			api.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@Test
	void aWorkerThatDiesAfterCommittingAListingPageBeforePublishingTheNextPageLeavesAJobThatStillEndsExact() {
		SimUser user = sim.addUser(SyntheticUsers.generate("crash-list-" + suffix(), 250, 7));
		long listsBefore = sim.counters().listRequests();
		// One page per task: every next page goes through the outbox.
		ConfigurableApplicationContext crashing = startWorker(Queues.LIST_PAGE, "--gistgrep.listing.pages-per-task=1");
		String id;
		try {
			id = submit(user.login());
			// Page 1 is committed with its scans and its next page; the scans go out and
			// are counted, the next page never does.
			JsonNode stuck = await().atMost(Duration.ofSeconds(60)).until(() -> job(id), (job) -> counted(job) == 100);
			assertThat(stuck.path("status").asString()).isEqualTo("running");
			assertThat(stuck.path("progress").path("gists_total").isNull()).as("the listing is not complete").isTrue();
			assertThat(unsent(Queues.LIST_PAGE, id)).singleElement()
				.satisfies((row) -> assertThat(JSON.readTree(row.payload()).path("page").asInt()).isEqualTo(2));
			assertThat(unsent(Queues.SCAN_GIST, id)).isEmpty();
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(5))
				.until(() -> sim.counters().listRequests() - listsBefore == 1 && counted(job(id)) == 100);
		}
		finally {
			crashing.close();
		}

		assertAFreshWorkerEndsTheListing(id, user, listsBefore,
				"pages 2 and 3 by the fresh worker, then the second pass's 3 pages");
	}

	@Test
	void aWorkerThatDiesAfterListingAWholePassInOneTaskBeforePublishingTheNextPassLeavesAJobThatStillEndsExact() {
		SimUser user = sim.addUser(SyntheticUsers.generate("crash-pass-" + suffix(), 250, 9));
		long listsBefore = sim.counters().listRequests();
		// The default pages per task (10): the start task lists the first pass's three
		// pages itself; the second pass is a task of its own, committed with the pass's
		// last page.
		ConfigurableApplicationContext crashing = startWorker(Queues.LIST_PAGE);
		String id;
		try {
			id = submit(user.login());
			JsonNode stuck = await().atMost(Duration.ofSeconds(60)).until(() -> job(id), (job) -> counted(job) == 250);
			assertThat(stuck.path("status").asString()).isEqualTo("running");
			assertThat(stuck.path("progress").path("gists_total").isNull()).as("the listing is not complete").isTrue();
			assertThat(unsent(Queues.LIST_PAGE, id)).singleElement().satisfies((row) -> {
				JsonNode page = JSON.readTree(row.payload());
				assertThat(page.path("page").asInt()).isEqualTo(1);
				assertThat(page.path("pass").asInt()).isEqualTo(2);
			});
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(5))
				.until(() -> sim.counters().listRequests() - listsBefore == 3 && counted(job(id)) == 250);
		}
		finally {
			crashing.close();
		}

		assertAFreshWorkerEndsTheListing(id, user, listsBefore, "the second pass's 3 pages by the fresh worker");
	}

	@Test
	void aWorkerThatDiesAfterCommittingEachPageBeforePublishingItsScansLeavesAJobThatStillEndsExact() {
		SimUser user = sim.addUser(SyntheticUsers.generate("crash-scan-" + suffix(), 250, 8));
		// The job's window from its start: without a wider start window (300 by
		// default, all of this job's gists), pages 2 and 3 find it full.
		ConfigurableApplicationContext crashing = startWorker(Queues.SCAN_GIST,
				"--gistgrep.worker.scan.window-per-job=100", "--gistgrep.worker.scan.start-window-per-job=100");
		String id;
		try {
			id = submit(user.login());
			// Every page is committed (the listing pages go out); page 1 with one fan-out
			// row, of the job's window (100, as set above), which never goes out; pages 2
			// and 3 find the window full and leave their gists waiting, unreleased.
			JsonNode listed = await().atMost(Duration.ofSeconds(60))
				.until(() -> job(id), (job) -> job.path("progress").path("gists_total").asInt(-1) == 250);
			assertThat(listed.path("status").asString()).isEqualTo("running");
			assertThat(counted(listed)).as("no gist was scanned").isZero();
			List<OutboxMessage> fanOuts = unsent(Queues.SCAN_GIST, id);
			assertThat(fanOuts).as("one row, page 1's").hasSize(1).allMatch(OutboxMessage::batch);
			Set<String> gists = new HashSet<>();
			fanOuts.forEach(
					(row) -> JSON.readTree(row.payload()).forEach((scan) -> gists.add(scan.path("gistId").asString())));
			assertThat(gists).as("the window's gists, once each").hasSize(100);
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(5))
				.until(() -> counted(job(id)) == 0 && unsent(Queues.SCAN_GIST, id).size() == 1);
		}
		finally {
			crashing.close();
		}

		ConfigurableApplicationContext fresh = startWorker(null);
		try {
			assertEndsExact(id, user);
			assertThat(unsent(Queues.SCAN_GIST, id)).isEmpty();
		}
		finally {
			fresh.close();
		}
	}

	/**
	 * A fresh worker, without the hold, takes over and ends the job exact, having sent
	 * every listing page, 6 list requests in all since {@code listsBefore}.
	 */
	private void assertAFreshWorkerEndsTheListing(String id, SimUser user, long listsBefore, String requests) {
		ConfigurableApplicationContext fresh = startWorker(null);
		try {
			assertEndsExact(id, user);
			assertThat(unsent(Queues.LIST_PAGE, id)).isEmpty();
			assertThat(sim.counters().listRequests() - listsBefore).as(requests).isEqualTo(6);
		}
		finally {
			fresh.close();
		}
	}

	private void assertEndsExact(String id, SimUser user) {
		JsonNode job = await().atMost(Duration.ofSeconds(90))
			.until(() -> job(id), (j) -> !j.path("status").asString().matches("queued|running"));
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(250);
		assertThat(counted(job)).isEqualTo(250);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile(PATTERN));
		assertThat(expected).as("the synthetic data holds matches and non-matches").isNotEmpty().hasSizeLessThan(250);
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		List<String> matched = new ArrayList<>();
		get("/jobs/" + id + "/matches?limit=1000").path("data")
			.forEach((gist) -> matched.add(gist.path("gist_id").asString()));
		assertThat(matched).doesNotHaveDuplicates();
		assertThat(Set.copyOf(matched)).isEqualTo(expected);
	}

	/**
	 * A worker like the e2e stack's, whose relay holds back {@code held} when given, with
	 * more arguments.
	 */
	private static ConfigurableApplicationContext startWorker(String held, String... args) {
		List<String> more = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.application.name=crash-worker", "--gistgrep.github.api-url=" + sim.apiUrl(),
				"--gistgrep.github.raw-hosts=" + sim.rawHost(), "--gistgrep.github.git-hosts=" + sim.gitHost(),
				"--gistgrep.github.raw.rate=" + Stack.RAW_RATE, "--gistgrep.github.tokens=" + Stack.TOKEN,
				"--gistgrep.worker.retry-delays=" + Stack.RETRY_DELAYS, "--gistgrep.outbox.poll-interval=200ms"));
		if (held != null) {
			more.add("--gistgrep.outbox.test-only-hold=" + held);
		}
		more.addAll(List.of(args));
		return new SpringApplicationBuilder(WorkerApplication.class)
			.run(Stack.args(services, more.toArray(String[]::new)));
	}

	private static List<OutboxMessage> unsent(String routingKey, String jobId) {
		return api.getBean(OutboxRepository.class)
			.unsent(routingKey)
			.stream()
			.filter((row) -> row.payload().contains(jobId))
			.toList();
	}

	private static int counted(JsonNode job) {
		JsonNode progress = job.path("progress");
		return progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt();
	}

	private String submit(String login) {
		return calls.submit(login, PATTERN);
	}

	private JsonNode job(String id) {
		return get("/jobs/" + id);
	}

	private JsonNode get(String path) {
		return calls.json(path);
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
