package io.gistgrep.e2e;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SyntheticUsers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running-jobs cap per tenant, at 2: a tenant's further jobs wait in {@code queued},
 * marked as held in their rows, and run, oldest first, as the running ones end; another
 * tenant's jobs are not held by it. On a database and virtual host of their own
 * ({@link OwnStack}), so that only these jobs count.
 */
class RunningJobsCapTests {

	private static final int CAP = 2;

	private static final String KEY_A = "ggk_capa" + "0".repeat(43);

	private static final String KEY_B = "ggk_capb" + "0".repeat(43);

	private static OwnStack stack;

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		// Slow raw files keep each job running for a while.
		sim.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(40)));
		stack = OwnStack.start("cap", sim, Map.of("cap-a", KEY_A, "cap-b", KEY_B),
				"--gistgrep.jobs.max-running-per-tenant=" + CAP);
		api = stack.api;
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aTenantsJobsOverTheCapWaitHeldInQueuedAndAllRunOldestFirstWhileAnotherTenantIsNotHeld() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String login = "cap-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
			sim.addUser(SyntheticUsers.generate(login, 60, 20 + i));
			ids.add(submit(KEY_A, login));
		}
		// The three jobs over the cap wait, queued and marked as held.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			List<JobRow> rows = rows("cap-a");
			return count(rows, "running") == CAP && rows.stream()
				.filter((row) -> row.status().equals("queued") && row.heldSince() != null)
				.count() == 3;
		});
		String heldId = rows("cap-a").stream()
			.filter((row) -> row.heldSince() != null)
			.findFirst()
			.orElseThrow()
			.id()
			.toString();
		assertThat(job(KEY_A, heldId).path("status").asString()).as("held is not a status").isEqualTo("queued");

		String other = "cap-other-" + UUID.randomUUID().toString().substring(0, 6);
		sim.addUser(SyntheticUsers.generate(other, 10, 40));
		String otherId = submit(KEY_B, other);

		AtomicInteger mostRunning = new AtomicInteger();
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
			List<JobRow> rows = rows("cap-a");
			mostRunning.accumulateAndGet((int) count(rows, "running"), Math::max);
			return count(rows, "succeeded") == 5 && rows("cap-b").getFirst().finishedAt() != null;
		});

		assertThat(mostRunning.get()).isEqualTo(CAP);
		List<JobRow> rows = rows("cap-a");
		assertThat(rows).allSatisfy((row) -> assertThat(row.heldSince()).isNull());
		for (JobRow row : rows) {
			long overlapping = rows.stream()
				.filter((o) -> !o.startedAt().isAfter(row.startedAt()) && o.finishedAt().isAfter(row.startedAt()))
				.count();
			assertThat(overlapping).as("jobs running when %s started, itself included", row.id())
				.isLessThanOrEqualTo(CAP);
		}
		List<JobRow> released = rows.stream().filter((row) -> row.releasedAt() != null).toList();
		assertThat(released).as("the three held jobs were released, oldest first")
			.extracting((row) -> row.id().toString())
			.containsExactlyElementsOf(ids.subList(2, 5));
		assertThat(released).isSortedAccordingTo((a, b) -> a.releasedAt().compareTo(b.releasedAt()));
		assertThat(ids).allSatisfy((id) -> assertThat(job(KEY_A, id).path("status").asString()).isEqualTo("succeeded"));

		JobRow otherRow = rows("cap-b").getFirst();
		assertThat(otherRow.id().toString()).isEqualTo(otherId);
		assertThat(otherRow.status()).isEqualTo("succeeded");
		assertThat(otherRow.releasedAt()).as("never held").isNull();
		assertThat(otherRow.startedAt()).as("started while the first tenant's jobs were held")
			.isBefore(released.getLast().releasedAt());
	}

	private static long count(List<JobRow> rows, String status) {
		return rows.stream().filter((row) -> row.status().equals(status)).count();
	}

	/** A tenant's job rows, oldest first. */
	private static List<JobRow> rows(String tenant) {
		return api.getBean(JdbcClient.class)
			.sql("""
					SELECT id, status, held_since, released_at, started_at, finished_at FROM jobs
					WHERE tenant = :tenant ORDER BY created_at, id""")
			.param("tenant", tenant)
			.query((rs, n) -> new JobRow(rs.getObject("id", UUID.class), rs.getString("status"),
					instant(rs.getTimestamp("held_since")), instant(rs.getTimestamp("released_at")),
					instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at"))))
			.list();
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private String submit(String key, String login) {
		return calls(key).submit(login, "TODO");
	}

	private static ApiCalls calls(String key) {
		return new ApiCalls(stack.apiUrl, key);
	}

	private tools.jackson.databind.JsonNode job(String key, String id) {
		return calls(key).json("/jobs/" + id);
	}

	private record JobRow(UUID id, String status, @Nullable Instant heldSince, @Nullable Instant releasedAt,
			@Nullable Instant startedAt, @Nullable Instant finishedAt) {

	}

}
