package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.gistgrep.common.task.Queues;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scan queue limited to 20 messages (reject-publish, set by the apps as a policy on
 * this class's own vhost) under a job of 400 gists, whose listing fans out 100 scans per
 * page: the broker refuses most of each fan-out, the outbox keeps it, and the job still
 * ends exact; and a flood of jobs, whose backlog waits in PostgreSQL while the api goes
 * on answering.
 */
class ScanQueueLimitJobTests {

	private static final String KEY = "ggk_qlimit" + "0".repeat(41);

	private static GitHubSim sim;

	private static BrokerStack stack;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		// Reads unlimited: the flood test polls a dozen jobs every few hundred
		// milliseconds.
		stack = BrokerStack.start("qlimit", sim, KEY,
				Map.of("gistgrep.broker.scan-queue-max-length", "20", "gistgrep.rate-limit.reads-per-minute", "0"),
				// One small scan consumer (a batch of 5, 10 prefetched): the worker holds
				// fewer gists than the queue's limit, so the queue fills and refuses.
				Map.of("gistgrep.worker.scan.concurrency", "1", "gistgrep.worker.scan.batch-size", "5"));
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

	@Test
	void aFloodOfJobsWaitsInPostgresWhileTheScanQueueStaysWithinItsLimitAndTheApiKeepsAnswering() {
		List<SimUser> users = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			users.add(sim.addUser(SyntheticUsers.generate("flood-" + i, 60, 60 + i)));
		}
		AmqpAdmin broker = stack.worker.getBean(AmqpAdmin.class);
		AtomicLong deepest = new AtomicLong();
		List<Integer> statuses = new ArrayList<>();

		double refusedBefore = stack.counted("gistgrep.outbox.refused");

		List<String> ids = users.stream().map((user) -> stack.calls.submit(user.login(), "TODO")).toList();
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).until(() -> {
			QueueInformation scans = broker.getQueueInfo(Queues.SCAN_GIST);
			if (scans != null) {
				deepest.accumulateAndGet(scans.getMessageCount(), Math::max);
			}
			statuses.add(stack.calls.get("/jobs/" + ids.get(statuses.size() % ids.size())).status());
			return ids.stream()
				.allMatch((id) -> !stack.calls.json("/jobs/" + id).path("status").asString().matches("queued|running"));
		});

		// A quorum queue applies its length limit as the publishes reach its leader: one
		// pipelined fan-out (a listing page, at most 100 scans) can overshoot it, no
		// more.
		assertThat(deepest.get()).as("the deepest the scan queue got").isLessThanOrEqualTo(20 + 100);
		assertThat(stack.counted("gistgrep.outbox.refused") - refusedBefore)
			.as("scans the broker refused, kept in the outbox")
			.isPositive();
		assertThat(statuses).as("the api answered every read during the flood").isNotEmpty().containsOnly(200);
		for (int i = 0; i < ids.size(); i++) {
			JsonNode job = stack.calls.json("/jobs/" + ids.get(i));
			assertThat(job.path("status").asString()).isEqualTo("succeeded");
			assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(60);
			assertThat(job.path("progress").path("gists_matched").asInt())
				.isEqualTo(Stack.expectedMatches(users.get(i), Pattern.compile("TODO")).size());
		}
	}

}
