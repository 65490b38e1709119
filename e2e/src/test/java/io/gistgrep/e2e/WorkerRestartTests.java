package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers stopped mid-job the way an orchestrator stops them, as child processes
 * ({@link WorkerProcess}): a rolling restart (SIGTERM, each replaced by a new worker) and
 * a crash (SIGKILL). Either way the job ends exact: every gist counted once, the expected
 * matches, none twice. The api runs in this JVM, on services of this class's own; the
 * content host answers slowly, so that the job lasts long enough to be interrupted.
 * Starting a worker JVM is what takes most of the time here, so the two workers a test
 * ends with are the ones the next test starts with.
 */
class WorkerRestartTests {

	private static final Logger log = LoggerFactory.getLogger(WorkerRestartTests.class);

	private static final String KEY = "ggk_restart" + "0".repeat(40);

	private static final Duration GRACE = Duration.ofSeconds(15);

	private static final int GISTS = 300;

	/** The content host's pace, at which two workers scan the job in 10 to 20 s. */
	private static final SimFaults FAST = SimFaults.none().withRawLatency(Duration.ofMillis(150));

	/** Slow enough that the job cannot end while the first workers stop. */
	private static final Duration SLOW = Duration.ofMillis(500);

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	private static ApiCalls calls;

	private static Map<String, String> workerProperties;

	private static final List<WorkerProcess> workers = new ArrayList<>();

	/**
	 * The workers a test left running, ready: the next test starts with them rather than
	 * wait for two more JVMs to start.
	 */
	private static List<WorkerProcess> idle = List.of();

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		Map<String, String> services = TestServices.get().isolated("restart");
		api = new SpringApplicationBuilder(ApiApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=restart-api",
				"--gistgrep.outbox.poll-interval=200ms", "--gistgrep.bootstrap-api-keys=restart:" + KEY));
		calls = new ApiCalls("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort(), KEY);
		Map<String, String> properties = new LinkedHashMap<>(services);
		properties.put("gistgrep.github.api-url", sim.apiUrl());
		properties.put("gistgrep.github.raw-hosts", sim.rawHost());
		properties.put("gistgrep.github.git-hosts", sim.gitHost());
		properties.put("gistgrep.github.tokens", "restart-token");
		properties.put("gistgrep.worker.retry-delays", Stack.RETRY_DELAYS);
		properties.put("gistgrep.outbox.poll-interval", "200ms");
		properties.put("gistgrep.github.raw.rate", Stack.RAW_RATE);
		// A SIGKILLed worker's slots of the content host stay taken until their leases
		// lapse (4 × the connect and read timeouts, 140 s): enough slots that the new
		// workers do not wait for them. Each worker's adaptive limit may grow to this
		// cap, but a worker here has at most its two batches' files in flight (about 32),
		// so two killed ones leave most of 256 free.
		properties.put("gistgrep.github.raw.max-concurrency", "256");
		properties.put("gistgrep.worker.concurrency", "4");
		// Small scan batches, so that a worker holds a few dozen of the job's gists (two
		// consumers, each with a batch of 8 and two more prefetched), not all of them:
		// the
		// new workers must find some left.
		properties.put("gistgrep.worker.scan.concurrency", "2");
		properties.put("gistgrep.worker.scan.batch-size", "8");
		properties.put("gistgrep.worker.shutdown-grace", GRACE.toSeconds() + "s");
		workerProperties = Map.copyOf(properties);
	}

	@AfterAll
	static void stop() {
		workers.forEach(WorkerProcess::close);
		if (api != null) {
			api.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@BeforeEach
	void fast() {
		sim.setFaults(FAST);
	}

	@AfterEach
	void killWorkersNotLeftIdle() {
		workers.stream().filter((worker) -> !idle.contains(worker)).forEach(WorkerProcess::close);
	}

	@Test
	void aRollingSigtermOfBothWorkersMidJobLosesNothingAndDoublesNothing() {
		SimUser user = sim.addUser(SyntheticUsers.generate("rolling-" + suffix(), GISTS, 17));
		List<WorkerProcess> first = twoRunning("rolling");
		WorkerProcess a = first.get(0);
		WorkerProcess b = first.get(1);
		long started = System.nanoTime();
		String id = calls.submit(user.login(), "TODO");

		awaitCounted(id, GISTS / 5);
		// Slow from here on: both workers have files in flight when told to stop, and B
		// alone cannot finish the job while A shuts down.
		sim.setFaults(FAST.withRawLatency(SLOW));
		stopGracefully(a);
		WorkerProcess c = worker("rolling-c");
		assertThat(counted(job(id))).as("the job still runs when B is stopped, so C and D finish it").isLessThan(GISTS);
		stopGracefully(b);
		sim.setFaults(FAST);
		WorkerProcess d = worker("rolling-d");
		c.awaitReady();
		d.awaitReady();

		JsonNode job = finished(id);
		log.info("Rolling restart: the {}-gist job ended {} ms after its submission", GISTS, elapsed(started));
		assertExact(job, user);
		assertThat(scanned(c) + scanned(d)).as("gists counted by the new workers").isPositive();
		idle = List.of(c, d);
	}

	@Test
	void twoWorkersKilledMidJobLoseNothingAndDoubleNothing() {
		SimUser user = sim.addUser(SyntheticUsers.generate("killed-" + suffix(), GISTS, 23));
		List<WorkerProcess> first = twoRunning("killed");
		WorkerProcess a = first.get(0);
		WorkerProcess b = first.get(1);
		long started = System.nanoTime();
		String id = calls.submit(user.login(), "TODO");

		awaitCounted(id, GISTS / 5);
		a.kill();
		b.kill();
		assertThat(a.awaitExit(Duration.ofSeconds(10))).as("killed: 128 + SIGKILL").isEqualTo(137);
		assertThat(b.awaitExit(Duration.ofSeconds(10))).as("killed: 128 + SIGKILL").isEqualTo(137);
		assertThat(counted(job(id))).as("the job still runs when both are killed").isLessThan(GISTS);
		WorkerProcess c = worker("killed-c");
		WorkerProcess d = worker("killed-d");
		c.awaitReady();
		d.awaitReady();

		JsonNode job = finished(id);
		log.info("Two workers killed: the {}-gist job ended {} ms after its submission", GISTS, elapsed(started));
		assertExact(job, user);
		assertThat(scanned(c) + scanned(d)).as("gists counted by the new workers").isPositive();
		idle = List.of(c, d);
	}

	/**
	 * SIGTERM, then the exit: status 0, before the grace ran out, so the tasks in hand
	 * finished rather than being abandoned when it did.
	 */
	private void stopGracefully(WorkerProcess worker) {
		long sent = System.nanoTime();
		worker.terminate();
		int status = worker.awaitExit(GRACE.plusSeconds(10));
		long took = elapsed(sent);
		log.info("{} exited {} ms after SIGTERM, with status {}", worker.name, took, status);
		assertThat(status).as("%s's exit status after SIGTERM, see %s", worker.name, worker.log).isZero();
		assertThat(took).as("ms from SIGTERM to the exit").isLessThan(GRACE.toMillis());
	}

	private WorkerProcess worker(String name) {
		WorkerProcess worker = WorkerProcess.start(name, workerProperties);
		workers.add(worker);
		return worker;
	}

	/** Two ready workers: those the previous test left, or new ones. */
	private List<WorkerProcess> twoRunning(String prefix) {
		List<WorkerProcess> two = new ArrayList<>(idle.stream().filter(WorkerProcess::alive).toList());
		idle = List.of();
		while (two.size() < 2) {
			two.add(worker(prefix + "-" + (char) ('a' + two.size())));
		}
		two.forEach(WorkerProcess::awaitReady);
		return two;
	}

	private static void assertExact(JsonNode job, SimUser user) {
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(GISTS);
		assertThat(counted(job)).as("gists counted, each once").isEqualTo(GISTS);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		List<String> matched = matchedGists(job.path("id").asString());
		assertThat(matched).as("matched gists, none twice").doesNotHaveDuplicates();
		assertThat(matched).containsExactlyInAnyOrderElementsOf(expected);
	}

	private static List<String> matchedGists(String id) {
		List<String> ids = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = calls
				.json("/jobs/" + id + "/matches?limit=1000" + ((cursor != null) ? "&cursor=" + cursor : ""));
			page.path("data").forEach((match) -> ids.add(match.path("gist_id").asString()));
			cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
		}
		while (cursor != null);
		return ids;
	}

	/** What {@code worker} counted, from its {@code gistgrep.gists} counter. */
	private static double scanned(WorkerProcess worker) {
		return worker.metric("gistgrep_gists_total");
	}

	private static int counted(JsonNode job) {
		JsonNode progress = job.path("progress");
		return progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt();
	}

	private static void awaitCounted(String id, int count) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> counted(job(id)) >= count);
	}

	private static JsonNode finished(String id) {
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> job(id),
					(job) -> Set.of("succeeded", "failed", "cancelled").contains(job.path("status").asString()));
	}

	private static JsonNode job(String id) {
		return calls.json("/jobs/" + id);
	}

	private static long elapsed(long since) {
		return Duration.ofNanos(System.nanoTime() - since).toMillis();
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
