package io.gistgrep.e2e;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token GitHub revoked, first in the worker's list: it is taken out of rotation for
 * every worker at its first 401, and the jobs go on with the good one. On a stack of its
 * own ({@link OwnStack}), whose worker has the tokens {@code revoked,good}.
 */
class RevokedTokenTests {

	private static final String KEY = "ggk_revoked" + "0".repeat(40);

	private static final String REVOKED = "revoked-token";

	private static final String GOOD = "good-token";

	private static OwnStack stack;

	private static GitHubSim sim;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		sim.revokeToken(REVOKED);
		stack = OwnStack.start("revoked", sim, Map.of("revoked", KEY),
				"--gistgrep.github.tokens=" + REVOKED + "," + GOOD);
		calls = stack.calls("revoked");
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void threeJobsEndExactWithARevokedTokenFirstInTheListAndItIsAskedAtMostTwice() {
		long before = sim.counters().requestsWithToken(REVOKED);
		for (int i = 0; i < 3; i++) {
			SimUser user = sim.addUser(SyntheticUsers.generate("tokens-" + i + "-" + suffix(), 30, 20 + i));

			JsonNode job = finished(calls.submit(user.login(), "TODO"));

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

	private JsonNode finished(String id) {
		return stack.finished("revoked", id);
	}

}
