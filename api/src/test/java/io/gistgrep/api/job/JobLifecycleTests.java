package io.gistgrep.api.job;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook URLs, idempotency, cancellation, listing and export, over HTTP on the real
 * services, with webhook address checks on (the default) and no worker.
 */
class JobLifecycleTests extends RunningApi {

	@Autowired
	JdbcClient jdbc;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9/x", "https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x",
			"https://192.168.1.1/", "https://172.16.0.1/", "https://169.254.169.254/latest/meta-data/",
			"https://[::1]/x", "https://[fd00::1]/x", "https://[fe80::1]/x", "https://[::ffff:127.0.0.1]/x",
			"https://0x7f000001/x", "https://2130706433/x", "https://127.1/x", "https://0.0.0.0/x",
			"https://100.64.0.1/x", "https://224.0.0.1/x", "ftp://example.com/x", "file:///etc/passwd",
			"javascript:alert(1)", "not a url", "https://user:pw@127.0.0.1/x" })
	void webhookUrlsThatCouldReachPrivatePlacesAreRefusedAtSubmission(String url) {
		long jobs = count("jobs");
		HttpResponse<String> response = this.api.post("/jobs",
				this.api.write(Map.of("username", "octocat", "pattern", "x", "webhook", Map.of("url", url))));
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode problem = this.api.json(response);
		assertThat(problem.path("type").asString()).isEqualTo("https://gistgrep.dev/problems/webhook-url-not-allowed");
		assertThat(problem.path("detail").asString()).startsWith("webhook.url ");
		assertThat(count("jobs")).isEqualTo(jobs);
	}

	@Test
	void aBadWebhookSecretIsRefused() {
		HttpResponse<String> response = this.api.post("/jobs", this.api.write(Map.of("username", "octocat", "pattern",
				"x", "webhook", Map.of("url", "https://[2606:4700::1111]/hook", "secret", "whsec_c2hvcnQ="))));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.api.json(response).path("detail").asString())
			.isEqualTo("webhook.secret must encode 24 to 64 bytes, not 5.");
	}

	@Test
	void theSameIdempotencyKeyAndBodyGiveTheSameJobAndAnotherBodyIsA422() {
		String key = UUID.randomUUID().toString();
		String body = "{\"username\":\"octocat\",\"pattern\":\"TODO\"}";
		HttpResponse<String> first = this.api.post("/jobs", body, Map.of("Idempotency-Key", key));
		HttpResponse<String> second = this.api.post("/jobs", body, Map.of("Idempotency-Key", key));
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(second.statusCode()).isEqualTo(202);
		String id = this.api.json(first).path("id").asString();
		assertThat(this.api.json(second).path("id").asString()).isEqualTo(id);
		assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(second.headers().firstValue("Location")).hasValue("/jobs/" + id);
		assertThat(this.jdbc.sql("SELECT count(*) FROM jobs WHERE pattern = 'TODO' AND id = :id")
			.param("id", UUID.fromString(id))
			.query(Long.class)
			.single()).isEqualTo(1);

		long jobs = count("jobs");
		HttpResponse<String> other = this.api.post("/jobs", "{\"username\":\"octocat\",\"pattern\":\"FIXME\"}",
				Map.of("Idempotency-Key", key));
		assertThat(other.statusCode()).isEqualTo(422);
		assertThat(this.api.json(other).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/idempotency-key-reused");
		assertThat(count("jobs")).isEqualTo(jobs);

		HttpResponse<String> otherKey = this.api.post("/jobs", body, Map.of("Idempotency-Key", key + "-2"));
		assertThat(this.api.json(otherKey).path("id").asString()).isNotEqualTo(id);
	}

	@Test
	void aDuplicateWhileTheFirstIsStillProcessedIsA409() {
		String key = UUID.randomUUID().toString();
		String body = "{\"username\":\"octocat\",\"pattern\":\"TODO\"}";
		// The state a first request is in between claiming its key and storing its job.
		HttpResponse<String> first = this.api.post("/jobs", body, Map.of("Idempotency-Key", key));
		this.jdbc.sql("UPDATE idempotency_keys SET job_id = NULL, response_body = NULL WHERE key = :key")
			.param("key", key)
			.update();
		HttpResponse<String> duplicate = this.api.post("/jobs", body, Map.of("Idempotency-Key", key));
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(duplicate.statusCode()).isEqualTo(409);
		assertThat(this.api.json(duplicate).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/idempotency-key-in-use");
	}

	@Test
	void anOverlongIdempotencyKeyIsRefused() {
		HttpResponse<String> response = this.api.post("/jobs", "{\"username\":\"octocat\",\"pattern\":\"x\"}",
				Map.of("Idempotency-Key", "k".repeat(256)));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.api.json(response).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/invalid-idempotency-key");
	}

	@Test
	void aQueuedJobCanBeCancelledOnce() {
		String id = submit("octocat");
		HttpResponse<String> cancelled = this.api.post("/jobs/" + id + "/cancel", "");
		assertThat(cancelled.statusCode()).isEqualTo(202);
		assertThat(this.api.json(cancelled).path("status").asString()).isEqualTo("cancelled");
		assertThat(this.api.json(this.api.get("/jobs/" + id)).path("finished_at").isNull()).isFalse();
		assertThat(this.api.get("/jobs/" + id).headers().firstValue("Retry-After")).isEmpty();
		HttpResponse<String> again = this.api.post("/jobs/" + id + "/cancel", "");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(this.api.json(again).path("detail").asString()).isEqualTo("The job is already cancelled.");
	}

	@Test
	void aSucceededJobCannotBeCancelled() {
		String id = submit("octocat");
		this.jdbc.sql("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE id = :id")
			.param("id", UUID.fromString(id))
			.update();
		HttpResponse<String> response = this.api.post("/jobs/" + id + "/cancel", "");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(this.api.json(response).path("detail").asString())
			.isEqualTo("A job cannot change from succeeded to cancelled.");
	}

	@Test
	void jobsAreListedNewestFirstByCursorAndFilteredByStatus() {
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			mine.add(submit("lister"));
		}
		this.api.post("/jobs/" + mine.get(1) + "/cancel", "");
		List<String> seen = new ArrayList<>();
		String path = "/jobs?limit=2";
		while (path != null && seen.size() < 1000) {
			HttpResponse<String> response = this.api.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode page = this.api.json(response);
			assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
			page.path("data").forEach((job) -> seen.add(job.path("id").asString()));
			path = page.path("next_cursor").isNull() ? null
					: response.headers().firstValue("Link").map((l) -> l.substring(1, l.indexOf('>'))).orElseThrow();
		}
		List<String> mineInOrder = seen.stream().filter(mine::contains).toList();
		assertThat(mineInOrder).containsExactlyElementsOf(mine.reversed());
		assertThat(seen).doesNotHaveDuplicates();

		JsonNode cancelled = this.api.json(this.api.get("/jobs?status=cancelled&limit=1000"));
		List<String> cancelledIds = new ArrayList<>();
		cancelled.path("data").forEach((job) -> {
			assertThat(job.path("status").asString()).isEqualTo("cancelled");
			cancelledIds.add(job.path("id").asString());
		});
		assertThat(cancelledIds).contains(mine.get(1)).doesNotContain(mine.get(0));

		HttpResponse<String> bad = this.api.get("/jobs?status=done");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(this.api.json(bad).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/invalid-status");
	}

	@Test
	void theNdjsonExportStreamsEveryMatchingGistOfALargeJob() throws Exception {
		UUID id = UUID.fromString(submit("exporter"));
		int gists = 10_000;
		this.jdbc
			.sql("""
					INSERT INTO job_gists (job_id, gist_id, page, html_url, files, state, matched)
					SELECT :id, 'g' || lpad(n::text, 6, '0'), 1, 'https://gist.github.com/exporter/g' || n, '[]', 'scanned', true
					FROM generate_series(1, :n) n""")
			.param("id", id)
			.param("n", gists)
			.update();
		this.jdbc
			.sql("""
					INSERT INTO gist_files (job_id, gist_id, filename, size, raw_url, status, match_count)
					SELECT job_id, gist_id, 'a.txt', 10, 'https://raw/' || gist_id, 'scanned', 1 FROM job_gists WHERE job_id = :id""")
			.param("id", id)
			.update();
		this.jdbc
			.sql("""
					INSERT INTO file_matches (job_id, gist_id, filename, ordinal, line, text, text_start, start_col, end_col)
					SELECT job_id, gist_id, 'a.txt', 0, 1, 'TODO here', 0, 0, 4 FROM job_gists WHERE job_id = :id""")
			.param("id", id)
			.update();

		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		HttpResponse<java.util.stream.Stream<String>> response = http.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/jobs/" + id + "/matches"))
			.header("Authorization", BEARER)
			.header("Accept", "application/x-ndjson")
			.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((ct) -> assertThat(ct).startsWith("application/x-ndjson"));
		assertThat(response.headers().firstValue("Content-Length")).as("streamed, not buffered").isEmpty();
		String[] previous = { "" };
		long[] lines = { 0 };
		try (java.util.stream.Stream<String> body = response.body()) {
			body.forEach((line) -> {
				JsonNode gist = this.api.json(line);
				String gistId = gist.path("gist_id").asString();
				assertThat(gistId).isGreaterThan(previous[0]);
				assertThat(gist.path("files").get(0).path("matches").get(0).path("text").asString())
					.isEqualTo("TODO here");
				previous[0] = gistId;
				lines[0]++;
			});
		}
		assertThat(lines[0]).isEqualTo(gists);
	}

	private String submit(String username) {
		HttpResponse<String> response = this.api.post("/jobs",
				"{\"username\":\"" + username + "\",\"pattern\":\"TODO\"}");
		assertThat(response.statusCode()).isEqualTo(202);
		return this.api.json(response).path("id").asString();
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

}
