package io.gistgrep.e2e;

import java.time.Duration;
import java.util.UUID;

import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cancelling a job that is under way. */
class CancellationTests {

	private final Stack stack = Stack.get();

	@AfterEach
	void restoreTheSimulator() {
		this.stack.sim.setFaults(SimFaults.none());
	}

	@Test
	void aLargeJobCancelledMidwayEndsCancelledAndScansNoMore() {
		String login = "big-" + UUID.randomUUID().toString().substring(0, 8);
		this.stack.sim.addUser(SyntheticUsers.generate(login, 2000, 9));
		// Slow raw fetches keep the job running long enough to cancel it midway.
		this.stack.sim.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(30)));
		String id = this.stack.post("/jobs", "{\"username\":\"" + login + "\",\"pattern\":\"TODO\"}")
			.json()
			.path("id")
			.asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.stack.get("/jobs/" + id).json().path("progress").path("gists_scanned").asInt() >= 20);

		long cancelledAt = System.nanoTime();
		Stack.Response cancel = this.stack.post("/jobs/" + id + "/cancel", "");
		assertThat(cancel.status()).isEqualTo(202);
		JsonNode job = await().atMost(Duration.ofSeconds(5))
			.until(() -> this.stack.get("/jobs/" + id).json(), (j) -> "cancelled".equals(j.path("status").asString()));
		assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(5));
		int done = job.path("progress").path("gists_scanned").asInt()
				+ job.path("progress").path("gists_skipped").asInt();
		assertThat(done).as("cancelled midway").isGreaterThanOrEqualTo(20).isLessThan(2000);
		assertThat(job.path("finished_at").isNull()).isFalse();

		// Scans that were already fetching may finish their request, but nothing more is
		// fetched once they have, and nothing at all is recorded after the cancel.
		MeterRegistry meters = this.stack.worker.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter("gistgrep.scan.job-ended").count() > 0);
		long[] raw = { -1 };
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
			long now = this.stack.sim.counters().rawRequests();
			boolean settled = now == raw[0];
			raw[0] = now;
			return settled;
		});
		long settledRaw = raw[0];
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> this.stack.sim.counters().rawRequests() == settledRaw);
		JsonNode after = this.stack.get("/jobs/" + id).json();
		assertThat(after.path("status").asString()).isEqualTo("cancelled");
		assertThat(after.path("progress")).isEqualTo(job.path("progress"));

		Stack.Response again = this.stack.post("/jobs/" + id + "/cancel", "");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().path("type").asString()).isEqualTo("https://gistgrep.dev/problems/job-finished");
	}

}
