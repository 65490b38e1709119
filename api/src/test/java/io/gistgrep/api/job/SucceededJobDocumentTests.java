package io.gistgrep.api.job;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.api.retention.RetentionProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JobDocuments}: a succeeded job's document is kept in memory once read, until
 * retention may delete it; every other job is read from its row each time. Over HTTP on
 * the real services, with no worker: a job's row is written here, sometimes in ways the
 * pipeline never would (a succeeded job's counts changed), to tell a kept document from a
 * read one.
 */
class SucceededJobDocumentTests extends RunningApi {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RetentionProperties retention;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void aSucceededJobIsAnsweredFromMemoryOnceReadWithTheSameTag() {
		String id = submit();
		set(id, "status = 'succeeded', started_at = now(), finished_at = now(), gists_total = 2, gists_scanned = 2");
		HttpResponse<String> first = this.api.get("/jobs/" + id);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(this.api.json(first).path("status").asString()).isEqualTo("succeeded");
		assertThat(first.headers().firstValue("Retry-After")).as("a finished job needs no more polls").isEmpty();
		String tag = first.headers().firstValue("ETag").orElseThrow();

		set(id, "gists_scanned = 1, gists_skipped = 1");
		HttpResponse<String> again = this.api.get("/jobs/" + id);
		assertThat(again.body()).as("the kept document, not the row").isEqualTo(first.body());
		assertThat(again.headers().firstValue("ETag")).hasValue(tag);
		assertThat(this.api.get("/jobs/" + id, Map.of("If-None-Match", tag)).statusCode()).isEqualTo(304);
		assertThat(
				this.api.get("/jobs/" + id, Map.of("Authorization", "Bearer " + RunningApi.OTHER_API_KEY)).statusCode())
			.as("another tenant's kept job stays missing")
			.isEqualTo(404);
	}

	@Test
	void theMatchesExportAndDeliveriesOfAKeptJobTakeItsOwnerFromMemory() {
		String id = submit();
		set(id, "status = 'succeeded', started_at = now(), finished_at = now(), gists_total = 0");
		assertThat(this.api.get("/jobs/" + id).statusCode()).isEqualTo(200);
		// A row read now would find the job missing for this tenant.
		set(id, "tenant = 'moved-" + UUID.randomUUID() + "'");

		assertThat(this.api.get("/jobs/" + id + "/matches").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/jobs/" + id + "/matches", Map.of("Accept", "application/x-ndjson")).statusCode())
			.isEqualTo(200);
		assertThat(this.api.get("/jobs/" + id + "/webhook-deliveries").statusCode()).isEqualTo(200);
		String running = submit();
		set(running, "status = 'running', started_at = now(), tenant = 'moved-" + UUID.randomUUID() + "'");
		assertThat(this.api.get("/jobs/" + running + "/matches").statusCode())
			.as("a job that is not kept is owned as its row says")
			.isEqualTo(404);
	}

	@Test
	void runningCancelledAndFailedJobsAreReadFromTheirRowEveryTime() {
		for (String ended : new String[] { "running", "cancelled", "failed" }) {
			String id = submit();
			set(id, "status = '" + ended + "', started_at = now(), finished_at = "
					+ (ended.equals("running") ? "NULL" : "now()") + ", gists_scanned = 1");
			assertThat(scanned(id)).isEqualTo(1);
			set(id, "gists_scanned = 2");
			assertThat(scanned(id)).as("a gist counted after the read, in a %s job", ended).isEqualTo(2);
		}
	}

	@Test
	void aSucceededJobIsForgottenByTheTimeRetentionMayDeleteIt() {
		Duration left = Duration.ofSeconds(4);
		String id = submit();
		finishedAgo(id, this.retention.jobs().minus(JobDocuments.SKEW).minus(left));
		assertThat(this.api.get("/jobs/" + id).statusCode()).isEqualTo(200);
		long read = System.nanoTime();
		this.jdbc.sql("DELETE FROM jobs WHERE id = :id").param("id", UUID.fromString(id)).update();

		HttpResponse<String> kept = this.api.get("/jobs/" + id);
		if (Duration.ofNanos(System.nanoTime() - read).compareTo(left) < 0) {
			assertThat(kept.statusCode()).as("kept until retention's cut-off, less the skew").isEqualTo(200);
		}
		await().atMost(left.plusSeconds(10)).until(() -> this.api.get("/jobs/" + id).statusCode() == 404);
		assertThat(Duration.ofNanos(System.nanoTime() - read)).isGreaterThanOrEqualTo(left.minusSeconds(1));
	}

	@Test
	void aSucceededJobPastRetentionsCutOffIsNotKept() {
		String id = submit();
		finishedAgo(id, this.retention.jobs().minus(JobDocuments.SKEW).plusSeconds(5));
		assertThat(this.api.get("/jobs/" + id).statusCode()).isEqualTo(200);
		this.jdbc.sql("DELETE FROM jobs WHERE id = :id").param("id", UUID.fromString(id)).update();
		assertThat(this.api.get("/jobs/" + id).statusCode()).isEqualTo(404);
	}

	/**
	 * Succeeded that long ago, in seconds (an interval of days would follow summer time).
	 */
	private void finishedAgo(String id, Duration ago) {
		set(id, "status = 'succeeded', started_at = now(), gists_total = 0, finished_at = now() - interval '"
				+ ago.toSeconds() + " seconds'");
	}

	private int scanned(String id) {
		HttpResponse<String> response = this.api.get("/jobs/" + id);
		assertThat(response.statusCode()).isEqualTo(200);
		return this.api.json(response).path("progress").path("gists_scanned").asInt();
	}

	private void set(String id, String assignments) {
		assertThat(this.jdbc.sql("UPDATE jobs SET " + assignments + " WHERE id = :id")
			.param("id", UUID.fromString(id))
			.update()).isEqualTo(1);
	}

	private String submit() {
		HttpResponse<String> response = this.api.post("/jobs", "{\"username\":\"octocat\",\"pattern\":\"TODO\"}",
				Map.of("Authorization", RunningApi.BEARER));
		assertThat(response.statusCode()).isEqualTo(202);
		return this.api.json(response).path("id").asString();
	}

}
