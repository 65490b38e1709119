package io.gistgrep.e2e;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scan queue limited to 20 messages (reject-publish, set by the apps as a policy on
 * this class's own vhost) under a job of 400 gists, whose listing fans out 100 scans per
 * page: the broker refuses most of each fan-out, the outbox keeps it, and the job still
 * ends exact.
 */
class ScanQueueLimitJobTests {

	private static final String KEY = "ggk_qlimit" + "0".repeat(41);

	private static GitHubSim sim;

	private static BrokerStack stack;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		stack = BrokerStack.start("qlimit", sim, KEY, Map.of("gistgrep.broker.scan-queue-max-length", "20"), Map.of());
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@Test
	void aJobOfHundredsOfGistsEndsExactThroughAScanQueueOfTwentyAndTheRefusalsAreCounted() {
		SimUser user = sim.addUser(SyntheticUsers.generate("qlimit-user", 400, 41));
		double refusedBefore = stack.counted("gistgrep.outbox.refused");

		JsonNode job = stack.finished(stack.calls.submit(user.login(), "TODO"));

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(400);
		assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(400);
		assertThat(job.path("progress").path("gists_failed").asInt()).isZero();
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(stack.matchedIds(job.path("id").asString())).as("each matching gist once")
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(stack.counted("gistgrep.outbox.refused") - refusedBefore).as("scans the broker refused")
			.isPositive();
	}

}
