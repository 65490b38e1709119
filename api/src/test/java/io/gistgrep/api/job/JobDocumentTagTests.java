package io.gistgrep.api.job;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ETags on {@code GET /jobs/{id}}: a poller that sends the tag back gets {@code 304} and
 * no body until the job changes, over HTTP on the real services (no worker: the job's
 * progress is written to its row here).
 */
class JobDocumentTagTests extends RunningApi {

	@Autowired
	JdbcClient jdbc;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void anUnchangedJobAnswersNotModifiedWithNoBody() {
		String id = submit(RunningApi.BEARER);
		HttpResponse<String> first = this.api.get("/jobs/" + id);
		String tag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(tag).matches("\"[A-Za-z0-9_-]{22}\"");
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache, private");

		HttpResponse<String> again = this.api.get("/jobs/" + id, Map.of("If-None-Match", tag));
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.headers().firstValue("ETag")).hasValue(tag);
		assertThat(again.headers().firstValue("Cache-Control")).hasValue("no-cache, private");
		assertThat(this.api.get("/jobs/" + id, Map.of("If-None-Match", "\"other\", " + tag)).statusCode())
			.as("a list of tags that holds the current one")
			.isEqualTo(304);
		assertThat(this.api.get("/jobs/" + id, Map.of("If-None-Match", "W/" + tag)).statusCode())
			.as("the weak form of the tag (If-None-Match compares weakly)")
			.isEqualTo(304);
	}

	@Test
	void aJobThatProgressedAnswersItsNewDocumentWithANewTag() {
		String id = submit(RunningApi.BEARER);
		HttpResponse<String> queued = this.api.get("/jobs/" + id);
		String queuedTag = queued.headers().firstValue("ETag").orElseThrow();

		this.jdbc.sql("UPDATE jobs SET status = 'running', started_at = now(), gists_scanned = 3 WHERE id = :id")
			.param("id", UUID.fromString(id))
			.update();
		HttpResponse<String> running = this.api.get("/jobs/" + id, Map.of("If-None-Match", queuedTag));
		assertThat(running.statusCode()).isEqualTo(200);
		assertThat(this.api.json(running).path("progress").path("gists_scanned").asInt()).isEqualTo(3);
		String runningTag = running.headers().firstValue("ETag").orElseThrow();
		assertThat(runningTag).isNotEqualTo(queuedTag);

		this.jdbc.sql("UPDATE jobs SET gists_scanned = 4 WHERE id = :id").param("id", UUID.fromString(id)).update();
		HttpResponse<String> counted = this.api.get("/jobs/" + id, Map.of("If-None-Match", runningTag));
		assertThat(counted.statusCode()).as("one more gist counted is a change").isEqualTo(200);
		assertThat(counted.headers().firstValue("ETag")).isPresent().get().isNotIn(queuedTag, runningTag);
	}

	@Test
	void theTagIsTheSameForTheSameDocumentAndDiffersAcrossJobsAndTenants() {
		String mine = submit(RunningApi.BEARER);
		String another = submit(RunningApi.BEARER);
		String theirs = submit("Bearer " + RunningApi.OTHER_API_KEY);
		String tag = tag(mine, RunningApi.BEARER);
		assertThat(tag(mine, RunningApi.BEARER)).isEqualTo(tag);
		assertThat(tag(another, RunningApi.BEARER)).isNotEqualTo(tag);
		assertThat(tag(theirs, "Bearer " + RunningApi.OTHER_API_KEY)).isNotIn(tag, tag(another, RunningApi.BEARER));
		assertThat(this.api.get("/jobs/" + theirs, Map.of("If-None-Match", tag)).statusCode())
			.as("another tenant's job stays missing, whatever tag is sent")
			.isEqualTo(404);

		byte[] body = "{\"id\":\"same\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(DocumentTags.of("test", body)).isEqualTo(DocumentTags.of("test", body))
			.isNotEqualTo(DocumentTags.of("other", body));
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "\"unterminated", "\"\"", "W/", ",,,", "\"a\" \"b\"", "*x", "\u00e9\u00e9" })
	void aTagThatIsNotTheJobsGetsTheWholeDocument(String ifNoneMatch) {
		String id = submit(RunningApi.BEARER);
		HttpResponse<String> response = this.api.get("/jobs/" + id, Map.of("If-None-Match", ifNoneMatch));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.api.json(response).path("id").asString()).isEqualTo(id);
		assertThat(response.headers().firstValue("ETag")).isPresent();
	}

	@Test
	void theDocumentIsTheSameJsonAsBefore() {
		String id = submit(RunningApi.BEARER);
		HttpResponse<String> response = this.api.get("/jobs/" + id);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Retry-After")).hasValue(JobController.POLL_AFTER);
		assertThat(response.body()).startsWith("{\"id\":\"" + id + "\",\"status\":\"queued\",")
			.endsWith(",\"links\":{\"matches\":\"/jobs/" + id + "/matches\",\"self\":\"/jobs/" + id + "\"}}");
	}

	@Test
	void aClientThatAcceptsNoJsonIsToldSoWithAProblem() {
		String id = submit(RunningApi.BEARER);
		HttpResponse<String> response = this.api.get("/jobs/" + id, Map.of("Accept", "text/html"));
		assertThat(response.statusCode()).isEqualTo(406);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private String submit(String bearer) {
		HttpResponse<String> response = this.api.post("/jobs", "{\"username\":\"octocat\",\"pattern\":\"TODO\"}",
				Map.of("Authorization", bearer));
		assertThat(response.statusCode()).isEqualTo(202);
		return this.api.json(response).path("id").asString();
	}

	private String tag(String id, String bearer) {
		HttpResponse<String> response = this.api.get("/jobs/" + id, Map.of("Authorization", bearer));
		assertThat(response.statusCode()).isEqualTo(200);
		return response.headers().firstValue("ETag").orElseThrow();
	}

}
