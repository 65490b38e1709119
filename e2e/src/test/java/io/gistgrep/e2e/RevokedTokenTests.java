package io.gistgrep.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token GitHub revoked, first in the worker's list: it is taken out of rotation for
 * every worker at its first 401, and the jobs go on with the good one. On a stack of its
 * own ({@link TestServices#isolated}), whose worker has the tokens {@code revoked,good}.
 */
class RevokedTokenTests {

	private static final String KEY = "ggk_revoked" + "0".repeat(40);

	private static final String REVOKED = "revoked-token";

	private static final String GOOD = "good-token";

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	private static ConfigurableApplicationContext worker;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		Map<String, String> services = TestServices.get().isolated("revoked");
		sim = GitHubSim.start(SimOptions.defaults());
		sim.revokeToken(REVOKED);
		api = new SpringApplicationBuilder(ApiApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=revoked-api",
				"--gistgrep.outbox.poll-interval=200ms", "--gistgrep.bootstrap-api-keys=revoked:" + KEY));
		worker = new SpringApplicationBuilder(WorkerApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=revoked-worker",
				"--gistgrep.github.api-url=" + sim.apiUrl(), "--gistgrep.github.raw-hosts=" + sim.rawHost(),
				"--gistgrep.github.git-hosts=" + sim.gitHost(), "--gistgrep.github.tokens=" + REVOKED + "," + GOOD,
				"--gistgrep.worker.retry-delays=" + Stack.RETRY_DELAYS, "--gistgrep.outbox.poll-interval=200ms"));
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

	@Test
	void threeJobsEndExactWithARevokedTokenFirstInTheListAndItIsAskedAtMostTwice() {
		long before = sim.counters().requestsWithToken(REVOKED);
		for (int i = 0; i < 3; i++) {
			SimUser user = sim.addUser(SyntheticUsers.generate("tokens-" + i + "-" + suffix(), 30, 20 + i));

			JsonNode job = finished(calls.submit(user.login(), "TODO"), (running) -> {
			});

			assertThat(job.path("status").asString()).isEqualTo("succeeded");
			assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(30);
			assertThat(job.path("progress").path("gists_matched").asInt())
				.isEqualTo(Stack.expectedMatches(user, Pattern.compile("TODO")).size());
		}

		LoggerFactory.getLogger(RevokedTokenTests.class)
			.info("Tokens revoked,good, three jobs: {} requests on the revoked token, {} on the good one",
					sim.counters().requestsWithToken(REVOKED) - before, sim.counters().requestsWithToken(GOOD));
		assertThat(sim.counters().requestsWithToken(REVOKED) - before).as("requests on the revoked token")
			.isLessThanOrEqualTo(2);
		assertThat(sim.counters().requestsWithToken(GOOD)).isPositive();
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
