package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import static org.awaitility.Awaitility.await;

/**
 * A big job's scan tasks are sent a window at a time, so small jobs submitted after it
 * wait behind that window, not behind all of its gists; the big job still ends exact.
 */
class FairnessTests {

	private static final String KEY = "ggk_fair" + "0".repeat(43);

	private static final int BIG = 4000;

	private static GitHubSim sim;

	private static BrokerStack stack;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		stack = BrokerStack.start("fair", sim, KEY, Map.of("gistgrep.rate-limit.reads-per-minute", "0"),
				Map.of("gistgrep.worker.scan.window-per-job", "50", "gistgrep.github.raw.rate", "100000",
						"gistgrep.github.raw.max-concurrency", "64"));
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
	void smallJobsSubmittedDuringABigOneEndWhileItStillHasGistsToScanAndTheBigOneEndsExact() {
		SimUser big = sim.addUser(SyntheticUsers.generate("fair-big", BIG, 71));
		List<SimUser> small = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			small.add(sim.addUser(SyntheticUsers.generate("fair-small-" + i, 10, 80 + i)));
		}
		String bigId = stack.calls.submit(big.login(), "TODO");
		// The big job is listed whole (all its tasks could be in the queue) and scanning.
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			JsonNode job = stack.calls.json("/jobs/" + bigId);
			return job.path("progress").path("gists_total").asInt() == BIG && counted(job) >= 100;
		});

		List<String> smallIds = new ArrayList<>();
		for (SimUser user : small) {
			smallIds.add(stack.calls.submit(user.login(), "TODO"));
		}
		for (int i = 0; i < smallIds.size(); i++) {
			JsonNode job = stack.finished(smallIds.get(i));
			assertThat(job.path("status").asString()).isEqualTo("succeeded");
			assertThat(job.path("progress").path("gists_matched").asInt())
				.isEqualTo(Stack.expectedMatches(small.get(i), Pattern.compile("TODO")).size());
		}
		JsonNode bigWhenSmallEnded = stack.calls.json("/jobs/" + bigId);
		// Without the window, the small jobs' tasks would be queued behind all of the big
		// job's, and end with it, give or take what the worker had prefetched (2
		// consumers × 200): far fewer than a quarter of it would be left (none,
		// measured with 4 × 100).
		assertThat(BIG - counted(bigWhenSmallEnded)).as("the big job's gists left when the small jobs had ended")
			.isGreaterThanOrEqualTo(BIG / 4);

		JsonNode done = stack.finished(bigId);
		assertThat(done.path("status").asString()).isEqualTo("succeeded");
		assertThat(done.path("progress").path("gists_total").asInt()).isEqualTo(BIG);
		assertThat(counted(done)).isEqualTo(BIG);
		Set<String> expected = Stack.expectedMatches(big, Pattern.compile("TODO"));
		assertThat(done.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(stack.matchedIds(bigId)).as("each matching gist once").containsExactlyInAnyOrderElementsOf(expected);
	}

	private static int counted(JsonNode job) {
		JsonNode progress = job.path("progress");
		return progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt();
	}

}
