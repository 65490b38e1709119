package io.gistgrep.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scan tasks are consumed in batches, recorded in one transaction each; a gist whose
 * outcome cannot be recorded makes its batch fall back to one transaction per gist, so
 * that it alone is retried and given up, and the others are recorded once.
 */
class ScanBatchTests {

	private final Stack stack = Stack.get();

	@Test
	void aGistThatCannotBeRecordedIsRetriedAloneWhileTheOthersOfItsBatchAreRecorded() {
		String login = "poison-" + UUID.randomUUID().toString().substring(0, 8);
		Instant t = Instant.parse("2024-05-01T10:00:00Z");
		List<SimGist> gists = new ArrayList<>();
		for (int i = 0; i < 49; i++) {
			gists.add(SimGist.of("bbbb%016d".formatted(i), "good", t.plusSeconds(i),
					SimFile.text("good.txt", "first\nPOISON_" + i + " here\n")));
		}
		// Past the binary sniff (8 KB), a NUL is text to the scanner, and its matching
		// line cannot be stored: PostgreSQL's text holds no NUL.
		String poisoned = "x".repeat(9000) + "\nPOISON_99 \u0000 here\n";
		gists.add(SimGist.of("bbbb9999999999999999", "bad", t.plusSeconds(99), SimFile.text("bad.txt", poisoned)));
		SimUser user = this.stack.sim.addUser(SimUser.of(login, 7301, gists.toArray(SimGist[]::new)));
		MeterRegistry meters = this.stack.worker.getBean(MeterRegistry.class);
		double fallbacksBefore = meters.counter("gistgrep.scan.batch-fallbacks").count();

		Stack.Response submitted = this.stack.post("/jobs",
				this.stack.json.writeValueAsString(Map.of("username", user.login(), "pattern", "POISON_[0-9]+")));
		assertThat(submitted.status()).isEqualTo(202);
		String id = submitted.json().path("id").asString();
		JsonNode job = await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.stack.get("/jobs/" + id).json(),
					(j) -> Set.of("succeeded", "failed", "cancelled").contains(j.path("status").asString()));

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(50);
		assertThat(progress.path("gists_scanned").asInt()).isEqualTo(49);
		assertThat(progress.path("gists_failed").asInt()).as("the poisoned gist, given up").isEqualTo(1);
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(49);
		assertThat(meters.counter("gistgrep.scan.batch-fallbacks").count() - fallbacksBefore).isPositive();
		JdbcClient jdbc = JdbcClient.create(this.stack.worker.getBean(javax.sql.DataSource.class));
		assertThat(jdbc.sql("SELECT gist_id FROM job_gists WHERE job_id = :id AND state = 'failed'")
			.param("id", UUID.fromString(id))
			.query(String.class)
			.list()).containsExactly("bbbb9999999999999999");
		assertThat(jdbc.sql("SELECT count(*) FROM gist_files WHERE job_id = :id")
			.param("id", UUID.fromString(id))
			.query(Integer.class)
			.single()).as("each good gist's file once").isEqualTo(49);
	}

}
