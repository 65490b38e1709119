package io.gistgrep.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GitHub's secondary rate limit, from github-sim: a short one is waited out, one that
 * never lifts fails the job with {@code github-rate-limited} after the configured tries.
 * On a stack of its own ({@link OwnStack}) with a token of its own, so that its blocked
 * token touches no other test; waits start at 1 s instead of a minute.
 */
class SecondaryLimitTests {

	private static final int MAX_TRIES = 3;

	private static final String KEY = "ggk_seclimit" + "0".repeat(39);

	private static final String TOKEN = "seclimit-token";

	private static OwnStack stack;

	private static GitHubSim sim;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		stack = OwnStack.start("seclimit", sim, Map.of("seclimit", KEY), "--gistgrep.github.tokens=" + TOKEN,
				"--gistgrep.github.secondary-limit-min-wait=1s",
				"--gistgrep.github.secondary-limit-max-tries=" + MAX_TRIES);
		calls = stack.calls("seclimit");
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@AfterEach
	void lift() {
		sim.setSecondaryLimit(Duration.ZERO, null);
	}

	@Test
	void aJobWaitsOutAShortSecondaryLimitWithFewCallsAndEndsExact() {
		SimUser user = sim.addUser(SyntheticUsers.generate("short-" + suffix(), 40, 7));
		long refusedBefore = sim.counters().requests("list", 403);
		sim.setSecondaryLimit(null, Duration.ofSeconds(6));

		String id = submit(user.login(), "TODO");
		// The 6 s window starts at the job's first refused call, however long the job
		// took
		// to start on a busy machine.
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> sim.counters().requests("list", 403) > refusedBefore);
		sim.setSecondaryLimit(Duration.ofSeconds(6), Duration.ofSeconds(6));
		JsonNode job = finished(id);

		long refused = sim.counters().requests("list", 403) - refusedBefore;
		assertThat(refused).as("API calls during the 6 s window").isBetween(1L, 3L);
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(40);
		assertThat(job.path("progress").path("gists_failed").asInt()).isZero();
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
	}

	@Test
	void aSecondaryLimitThatNeverLiftsFailsTheJobAsRateLimitedAfterTheConfiguredTries() {
		SimUser user = sim.addUser(SyntheticUsers.generate("never-" + suffix(), 10, 8));
		long refusedBefore = sim.counters().requests("list", 403);
		sim.setSecondaryLimit(null, null);

		JsonNode job = finished(submit(user.login(), "TODO"));

		assertThat(job.path("status").asString()).isEqualTo("failed");
		assertThat(job.path("error").path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/github-rate-limited");
		assertThat(job.path("error").path("detail").asString()).contains("secondary rate limit");
		assertThat(sim.counters().requests("list", 403) - refusedBefore)
			.as("the first try and one after each of the %d waits", MAX_TRIES)
			.isEqualTo(MAX_TRIES + 1);
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	private JsonNode finished(String id) {
		return stack.finished("seclimit", id);
	}

	private String submit(String login, String pattern) {
		return calls.submit(login, pattern);
	}

	private JsonNode job(String id) {
		return calls.json("/jobs/" + id);
	}

}
