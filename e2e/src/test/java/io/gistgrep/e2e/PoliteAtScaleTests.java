package io.gistgrep.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimCounters;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
 * GitHub on a busy day, from github-sim: a raw host that throttles with cool-downs, and
 * repeated listings with two tokens. On a stack of its own
 * ({@link TestServices#isolated}), whose worker has two tokens, a raw budget above what
 * the sim allows (so that it is throttled) and cool-downs as short as the sim's.
 */
class PoliteAtScaleTests {

	private static final Logger log = LoggerFactory.getLogger(PoliteAtScaleTests.class);

	private static final String KEY = "ggk_polite" + "0".repeat(41);

	private static final String ONE = "polite-token-1";

	private static final String TWO = "polite-token-2";

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	private static ConfigurableApplicationContext worker;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		Map<String, String> services = TestServices.get().isolated("polite");
		sim = GitHubSim.start(SimOptions.defaults());
		api = new SpringApplicationBuilder(ApiApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=polite-api",
				"--gistgrep.outbox.poll-interval=200ms", "--gistgrep.bootstrap-api-keys=polite:" + KEY));
		worker = new SpringApplicationBuilder(WorkerApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=polite-worker",
				"--gistgrep.github.api-url=" + sim.apiUrl(), "--gistgrep.github.raw-hosts=" + sim.rawHost(),
				"--gistgrep.github.git-hosts=" + sim.gitHost(), "--gistgrep.github.tokens=" + ONE + "," + TWO,
				"--gistgrep.worker.retry-delays=" + Stack.RETRY_DELAYS, "--gistgrep.outbox.poll-interval=200ms",
				"--gistgrep.github.raw.rate=100", "--gistgrep.github.raw.cool-down=5s"));
		calls = new ApiCalls("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort(), KEY);
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
		if (api != null) {
			api.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@AfterEach
	void lift() {
		sim.setRawThrottle(0, Duration.ZERO);
	}

	@Test
	void aJobEndsExactUnderRawThrottlingAndFewRequestsReachTheHostDuringItsCoolDowns() {
		SimUser user = sim.addUser(SyntheticUsers.generate("throttled-" + suffix(), 250, 11));
		sim.setRawThrottle(40, Duration.ofSeconds(5));
		AtomicBoolean sawWaiting = new AtomicBoolean();

		String id = calls.submit(user.login(), "TODO");
		JsonNode job = finished(id, (running) -> {
			if (!running.path("progress").path("waiting_for_github_until").isNull()) {
				sawWaiting.set(true);
			}
		});

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(250);
		assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(250);
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(job.path("progress").path("waiting_for_github_until").isNull()).as("ended: waits for nothing")
			.isTrue();
		List<SimCounters.CoolDown> coolDowns = sim.counters().rawCoolDowns();
		log.info("Raw throttling at 40/s with 5 s cool-downs: {} cool-downs, requests during each: {}",
				coolDowns.size(), coolDowns.stream().map(SimCounters.CoolDown::requestsDuring).toList());
		assertThat(coolDowns).as("the worker asks for more than 40/s, so the host throttles it").isNotEmpty();
		assertThat(coolDowns).allSatisfy(
				(coolDown) -> assertThat(coolDown.requestsDuring()).as("requests reaching the host during a cool-down")
					.isLessThan(10));
		assertThat(sawWaiting).as("the job showed progress.waiting_for_github_until while parked").isTrue();
	}

	@Test
	void aRepeatedListingWithTwoTokensIsAnswered304AndSpendsNoQuota() {
		SimUser user = sim.addUser(SyntheticUsers.generate("repeat-" + suffix(), 250, 31));
		assertThat(finished(calls.submit(user.login(), "TODO"), (running) -> {
		}).path("status").asString()).isEqualTo("succeeded");
		long quotaBefore = sim.counters().quotaCounted();
		long notModifiedBefore = sim.counters().notModified();
		long listsBefore = sim.counters().listRequests();

		JsonNode again = finished(calls.submit(user.login(), "TODO"), (running) -> {
		});

		assertThat(again.path("status").asString()).isEqualTo("succeeded");
		assertThat(sim.counters().quotaCounted() - quotaBefore).as("quota-counted calls").isZero();
		long lists = sim.counters().listRequests() - listsBefore;
		assertThat(lists).as("listing pages asked again").isPositive();
		assertThat(sim.counters().notModified() - notModifiedBefore).as("answered 304").isEqualTo(lists);
		assertThat(sim.counters().requestsWithToken(ONE)).as("both tokens are used").isPositive();
		assertThat(sim.counters().requestsWithToken(TWO)).as("both tokens are used").isPositive();
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	private JsonNode finished(String id, java.util.function.Consumer<JsonNode> whileRunning) {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
			JsonNode job = calls.json("/jobs/" + id);
			String status = job.path("status").asString();
			if (!status.equals("succeeded") && !status.equals("failed")) {
				whileRunning.accept(job);
				return false;
			}
			return true;
		});
		return calls.json("/jobs/" + id);
	}

}
